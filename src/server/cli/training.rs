//! `jitd training`: training completions from the learning system's export.

use std::path::PathBuf;

use clap::Subcommand;

use super::Jitd;
use crate::server::import::import_training;

#[derive(Debug, Subcommand)]
pub enum Training {
    /// Import completions from a CSV file with the header
    /// `username,completed_on,good_through` (dates YYYY-MM-DD). A completion older than
    /// the one on record changes nothing.
    Import {
        #[arg(value_name = "FILE")]
        path: PathBuf,
    },
}

impl Training {
    pub async fn run(&self, jitd: &Jitd) -> anyhow::Result<()> {
        match self {
            Training::Import { path } => {
                let store = jitd.store().await?;
                let report = import_training(store.as_ref(), path, chrono::Utc::now()).await?;
                let recorded = report.updated;
                println!(
                    "Imported {}: {recorded} recorded, {} unchanged.",
                    path.display(),
                    report.unchanged
                );
                Ok(())
            }
        }
    }
}
