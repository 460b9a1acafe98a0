//! `jitd migrate`: bring the database schema up to date.

use clap::Args;

use super::Jitd;

/// Create the database if needed and apply pending migrations.
#[derive(Debug, Args)]
pub struct Migrate {}

impl Migrate {
    pub async fn run(&self, jitd: &Jitd) -> anyhow::Result<()> {
        // Opening a store migrates it.
        jitd.store().await?;
        println!("The database schema is up to date.");
        Ok(())
    }
}
