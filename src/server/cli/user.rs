//! `jitd user`: local accounts.

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::Subcommand;

use super::Jitd;
use crate::api::Role;
use crate::server::auth::hash_password;
use crate::server::routes::audit_event;
use crate::server::storage::{UserRecord, enum_text};

#[derive(Debug, Subcommand)]
pub enum User {
    /// Add a user. The password is read from the first line of standard input.
    Add {
        username: String,
        #[arg(long)]
        display_name: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        department: String,
        /// A role: requester, rp, iam or admin. Repeat for several.
        #[arg(long = "role", value_name = "ROLE", required = true)]
        roles: Vec<String>,
        /// A department this user decides for as a responsible person. Repeatable.
        #[arg(long = "rp-of", value_name = "DEPARTMENT")]
        rp_of: Vec<String>,
    },
    /// Set a user's password, read from the first line of standard input.
    Passwd { username: String },
    /// List the users.
    List,
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < 8 {
        bail!("the password must have at least 8 characters");
    }
    Ok(password)
}

impl User {
    pub async fn run(&self, jitd: &Jitd) -> anyhow::Result<()> {
        let store = jitd.store().await?;
        let now = chrono::Utc::now();
        match self {
            User::Add { username, display_name, email, department, roles, rp_of } => {
                if store.user(username).await?.is_some() {
                    bail!("the user {username} already exists; use `jitd import` to change it");
                }
                if !store.departments().await?.contains(department) {
                    bail!("unknown department `{department}`; import it first");
                }
                let roles = roles
                    .iter()
                    .map(|r| crate::server::storage::parse_enum::<Role>(r))
                    .collect::<Result<Vec<_>, _>>()
                    .context("roles are requester, rp, iam and admin")?;
                let password = read_password()?;
                let user = UserRecord {
                    username: username.clone(),
                    display_name: display_name.clone(),
                    email: email.clone(),
                    department: department.clone(),
                    roles,
                    rp_of: rp_of.clone(),
                    password_hash: Some(hash_password(&password)?),
                };
                let audit = audit_event(now, "jitd-admin", "user.create", username, None, None);
                store.save_user(&user, audit).await?;
                println!("Added {username}.");
            }
            User::Passwd { username } => {
                let mut user =
                    store.user(username).await?.with_context(|| format!("no user {username}"))?;
                user.password_hash = Some(hash_password(&read_password()?)?);
                let audit = audit_event(now, "jitd-admin", "user.passwd", username, None, None);
                store.save_user(&user, audit).await?;
                println!("Set the password of {username}.");
            }
            User::List => {
                for user in store.users().await? {
                    let roles: Vec<String> = user.roles.iter().map(enum_text).collect();
                    println!(
                        "{}\t{}\t{}\t{}",
                        user.username,
                        user.department,
                        roles.join(","),
                        user.rp_of.join(",")
                    );
                }
            }
        }
        Ok(())
    }
}
