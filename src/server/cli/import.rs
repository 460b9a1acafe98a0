//! `jitd import`: load the directory from CSV files.

use std::path::PathBuf;

use clap::Args;

use super::Jitd;
use crate::server::import::import_directory;

/// Import departments, users (with roles, responsible persons and initial passwords) and
/// devices. Re-importing the same files changes nothing.
///
/// FILE|DIR is a directory holding departments.csv, users.csv and devices.csv, or one of
/// those files. See sample/README.md for the columns.
#[derive(Debug, Args)]
pub struct Import {
    #[arg(value_name = "FILE|DIR")]
    pub path: PathBuf,
}

impl Import {
    pub async fn run(&self, jitd: &Jitd) -> anyhow::Result<()> {
        let store = jitd.store().await?;
        let report = import_directory(store.as_ref(), &self.path, chrono::Utc::now()).await?;
        println!("Imported {}: {report}.", self.path.display());
        Ok(())
    }
}
