//! `jitd demo`: the whole lifecycle, end to end, on a fresh embedded database.
//!
//! It starts a server in this process on a loopback port, with a fresh SQLite database and
//! the sample hospital, then plays three people (a requester, their responsible person and
//! an IAM analyst) by running the real `jit` command-line code against it over HTTP. Each
//! step prints the command a person would type and its real output. The learning system
//! and the device's endpoint agent are played over their own API credentials, and the
//! clock is moved forward where the process waits for a night or for hours.
//!
//! Afterwards the server keeps running so a person can carry on by hand; Ctrl-C stops it.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Args;

use super::dev_server::{DevInstance, start_dev};
use super::serve::shutdown_signal;
use crate::api::{self, AgentCheckIn, TrainingCompletion, TrainingCompletionBatch};
use crate::cli::{Invocation, run_async};
use crate::client::Environment;
use crate::client::token::{MemoryTokenStore, TokenStore};
use crate::server::clock::Clock;
use crate::server::config::Settings;
use crate::server::open_store;

/// The sample directory, built in so the demo runs from any folder.
const SAMPLE_FILES: [(&str, &str); 3] = [
    ("departments.csv", include_str!("../../../sample/departments.csv")),
    ("users.csv", include_str!("../../../sample/users.csv")),
    ("devices.csv", include_str!("../../../sample/devices.csv")),
];

/// Password of the sample's demo accounts (documented in `sample/README.md`).
const DEMO_PASSWORD: &str = "jit-demo-2026";

const DEVICE: &str = "CARD-PC014";
const OLD_AGENT: &str = "epm-7f3a-0001";
const NEW_AGENT: &str = "epm-91c2-0002";

/// Run the whole JIT lifecycle against a fresh server, then keep serving.
#[derive(Debug, Args)]
pub struct Demo {
    /// Address to serve on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: String,
    /// Play the lifecycle, then stop instead of serving until Ctrl-C.
    #[arg(long)]
    pub no_serve: bool,
}

impl Demo {
    pub async fn run(&self) -> anyhow::Result<()> {
        let workdir = tempfile::Builder::new()
            .prefix("jitd-demo-")
            .tempdir()
            .context("cannot create a folder for the demo database")?;
        let sample = write_sample(workdir.path())?;
        let database = workdir.path().join("jitd.sqlite");
        let store = open_store(&format!("sqlite://{}?mode=rwc", database.display())).await?;
        let instance =
            start_dev(store, Settings::default(), &self.listen, Some(&sample), Utc::now()).await?;
        let url = format!("http://{}", instance.server.addr);

        let mut demo = Walkthrough::new(&instance, &url, workdir.path())?;
        say(&format!(
            "jitd is serving {url} with a fresh SQLite database ({}) and the sample hospital.",
            database.display()
        ));
        demo.play().await?;

        if self.no_serve {
            return instance.server.stop().await;
        }
        print_carry_on(&url);
        shutdown_signal().await?;
        println!("\nStopping jitd.");
        instance.server.stop().await
    }
}

/// Writes the built-in sample directory into `dir`, for the importer.
fn write_sample(dir: &Path) -> anyhow::Result<PathBuf> {
    let sample = dir.join("sample");
    std::fs::create_dir_all(&sample).context("cannot create the sample folder")?;
    for (name, contents) in SAMPLE_FILES {
        std::fs::write(sample.join(name), contents)
            .with_context(|| format!("cannot write the sample file {name}"))?;
    }
    Ok(sample)
}

/// The people, the device and the clock of the walkthrough.
struct Walkthrough<'a> {
    instance: &'a DevInstance,
    url: String,
    home: PathBuf,
    tokens: Arc<MemoryTokenStore>,
    http: reqwest::Client,
    color: bool,
}

impl<'a> Walkthrough<'a> {
    fn new(instance: &'a DevInstance, url: &str, home: &Path) -> anyhow::Result<Self> {
        Ok(Walkthrough {
            instance,
            url: url.to_owned(),
            home: home.to_owned(),
            tokens: Arc::new(MemoryTokenStore::new()),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .context("cannot build an HTTP client")?,
            color: std::io::stdout().is_terminal(),
        })
    }

    async fn play(&mut self) -> anyhow::Result<()> {
        self.request_and_approve().await?;
        self.train().await?;
        self.activate_after_device_not_found().await?;
        self.fix_reimaged_device().await?;
        Ok(())
    }

    /// Steps 1 and 2: alice asks, carol (her RP) approves.
    async fn request_and_approve(&mut self) -> anyhow::Result<()> {
        chapter("1. Request: alice, a cardiology nurse, asks for admin rights on her PC");
        self.login("alice").await?;
        self.jit(
            "alice",
            &[
                "request",
                DEVICE,
                "--reason",
                "Install the updated ECG viewer",
                "--ticket",
                "INC-1042",
            ],
        )
        .await?;

        chapter("2. Approval: carol, a responsible person for Cardiology, approves it");
        self.login("carol").await?;
        self.jit("carol", &["requests"]).await?;
        self.jit("carol", &["approve", "--all", "--device", DEVICE, "--yes"]).await?;
        Ok(())
    }

    /// Step 3: the course is assigned overnight and alice completes it.
    async fn train(&mut self) -> anyhow::Result<()> {
        chapter("3. Training: assigned in the overnight batch, then completed");
        self.jit("alice", &["status"]).await?;
        let next_morning = self.advance_to_next_morning();
        event(&format!("clock: a night passes, it is now {}", when(next_morning)));
        self.login("alice").await?;
        self.jit("alice", &["status"]).await?;

        let today = next_morning.date_naive();
        let completion = TrainingCompletion {
            username: "alice".to_owned(),
            completed_on: today,
            good_through: today + chrono::Duration::days(365),
        };
        event("learning system: alice completed the course, good for a year");
        self.post(
            "/training/completions",
            &self.instance.learning_system_token,
            &TrainingCompletionBatch { items: vec![completion] },
        )
        .await?;
        Ok(())
    }

    /// Steps 4 and 5: the device is not found until its agent checks in, then the grant is
    /// picked up within the expected few minutes.
    async fn activate_after_device_not_found(&mut self) -> anyhow::Result<()> {
        chapter("4. Activation: the device's agent has never checked in");
        self.jit("alice", &["activate", DEVICE]).await?;

        chapter("5. On the device: Request Settings, then activate and wait for the agent");
        event(&format!("agent on {DEVICE}: \"Request Settings\" fetches the policy"));
        self.check_in(OLD_AGENT).await?;
        let agent = self.agent_picks_up_soon(OLD_AGENT);
        self.jit("alice", &["activate", DEVICE, "--wait"]).await?;
        agent.await.context("the simulated agent failed")??;
        let later = self.advance(chrono::Duration::minutes(3 * 60 + 10));
        event(&format!("clock: 3 hours 10 minutes later, it is now {}", when(later)));
        self.jit("alice", &["status", DEVICE]).await?;
        Ok(())
    }

    /// Step 6: the device is reimaged, its agent identity changes, IAM re-binds it.
    async fn fix_reimaged_device(&mut self) -> anyhow::Result<()> {
        chapter("6. Reimaged device: a new agent identity checks in");
        let later = self.advance(chrono::Duration::hours(1));
        event(&format!("clock: the activation has expired, it is now {}", when(later)));
        event(&format!("agent on {DEVICE}: reimaged, checks in as {NEW_AGENT}"));
        self.check_in(NEW_AGENT).await?;
        self.jit("alice", &["activate", DEVICE]).await?;
        self.jit("alice", &["reimage-fix", "request", DEVICE]).await?;

        chapter("7. IAM: ivan verifies and re-binds the device (a batch of one)");
        self.login("ivan").await?;
        self.jit("ivan", &["reimage-fix", "list", "--state", "open"]).await?;
        self.jit("ivan", &["reimage-fix", "apply", DEVICE]).await?;

        chapter("8. alice activates again on the re-bound device");
        let agent = self.agent_picks_up_soon(NEW_AGENT);
        self.jit("alice", &["activate", DEVICE, "--wait"]).await?;
        agent.await.context("the simulated agent failed")??;
        self.jit("alice", &["status"]).await?;
        Ok(())
    }

    async fn login(&mut self, user: &str) -> anyhow::Result<()> {
        self.run_jit(
            user,
            &["login", "--username", user, "--password-stdin"],
            Some(format!("{DEMO_PASSWORD}\n")),
            &format!("echo \"$DEMO_PASSWORD\" | jit login --username {user} --password-stdin"),
        )
        .await
    }

    async fn jit(&mut self, user: &str, args: &[&str]) -> anyhow::Result<()> {
        let shown = std::iter::once("jit")
            .chain(args.iter().copied())
            .map(shell_quote)
            .collect::<Vec<_>>()
            .join(" ");
        self.run_jit(user, args, None, &shown).await
    }

    /// Runs the real command-line code in this process as `user`, printing what they typed.
    async fn run_jit(
        &mut self,
        user: &str,
        args: &[&str],
        stdin: Option<String>,
        shown: &str,
    ) -> anyhow::Result<()> {
        let prompt = format!("{user}$ ");
        if self.color {
            println!("\n\x1b[1;32m{prompt}\x1b[0m\x1b[1m{shown}\x1b[0m");
        } else {
            println!("\n{prompt}{shown}");
        }
        std::io::stdout().flush().ok();

        let mut invocation = Invocation::new(
            std::iter::once("jit").chain(args.iter().copied()),
            self.environment(user),
        );
        invocation.stdout = Box::new(std::io::stdout());
        invocation.stderr = Box::new(std::io::stderr());
        invocation.stdout_is_terminal = self.color;
        invocation.stderr_is_terminal = std::io::stderr().is_terminal();
        invocation.terminal_width = Some(100);
        invocation.token_store = Some(self.tokens.clone() as Arc<dyn TokenStore>);
        if let Some(text) = stdin {
            invocation.stdin = Box::new(std::io::Cursor::new(text.into_bytes()));
        }

        let code = run_async(invocation).await;
        if code != crate::cli::ExitCode::SUCCESS {
            println!("(exit code {})", code.code());
        }
        Ok(())
    }

    /// Each person has their own home folder, so their sessions do not mix.
    fn environment(&self, user: &str) -> Environment {
        let home = self.home.join("people").join(user);
        let mut env = Environment::default();
        env.set("HOME", home.display().to_string());
        env.set("XDG_CONFIG_HOME", home.join("config").display().to_string());
        env.set("XDG_STATE_HOME", home.join("state").display().to_string());
        env.set("JIT_SERVER", self.url.clone());
        if let Ok(term) = std::env::var("TERM") {
            env.set("TERM", term);
        }
        if std::env::var_os("NO_COLOR").is_some() {
            env.set("NO_COLOR", "1");
        }
        env
    }

    fn advance(&self, by: chrono::Duration) -> DateTime<Utc> {
        self.instance.clock.advance(by)
    }

    /// Moves the clock to 08:00 UTC on the next day: past the overnight training job.
    fn advance_to_next_morning(&self) -> DateTime<Utc> {
        let now = self.instance.clock.now();
        let tomorrow = now.date_naive() + chrono::Duration::days(1);
        let morning = tomorrow.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc();
        self.instance.clock.set(morning);
        morning
    }

    async fn check_in(&self, agent_id: &str) -> anyhow::Result<()> {
        let check_in = AgentCheckIn { device: DEVICE.to_owned(), agent_id: agent_id.to_owned() };
        self.post("/agent/check-in", &self.instance.agent_token, &check_in).await
    }

    /// The device's agent polls its policy a moment later and picks up the new grant.
    fn agent_picks_up_soon(&self, agent_id: &str) -> tokio::task::JoinHandle<anyhow::Result<()>> {
        let http = self.http.clone();
        let url = format!("{}{}/agent/check-in", self.url, api::API_PREFIX);
        let token = self.instance.agent_token.clone();
        let check_in = AgentCheckIn { device: DEVICE.to_owned(), agent_id: agent_id.to_owned() };
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(3)).await;
            http.post(url)
                .bearer_auth(token)
                .json(&check_in)
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .context("the agent's check-in failed")?;
            Ok(())
        })
    }

    async fn post<T: serde::Serialize>(
        &self,
        route: &str,
        token: &str,
        body: &T,
    ) -> anyhow::Result<()> {
        let url = format!("{}{}{route}", self.url, api::API_PREFIX);
        self.http
            .post(&url)
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .with_context(|| format!("POST {url} failed"))?;
        Ok(())
    }
}

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn chapter(title: &str) {
    println!("\n\n── {title}");
}

fn event(text: &str) {
    println!("\n   ⟶ {text}");
}

fn say(text: &str) {
    println!("{text}");
}

/// Quotes an argument the way a POSIX shell would need it.
fn shell_quote(arg: &str) -> String {
    let plain = arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c));
    if plain && !arg.is_empty() {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

fn print_carry_on(url: &str) {
    println!(
        "\n\n── The demo server keeps running. Carry on by hand in another terminal:\n\n\
         \x20  export JIT_SERVER={url}\n\
         \x20  jit login --username alice        # password: {DEMO_PASSWORD}\n\
         \x20  jit status\n\n\
         Demo accounts (password {DEMO_PASSWORD}): alice and bob (requesters, Cardiology),\n\
         carol and ravi (responsible persons, Cardiology), dave (responsible person,\n\
         Radiology), ivan (IAM), ada (admin). The clock is this server's own: it started\n\
         now and the walkthrough moved it forward.\n\n\
         Press Ctrl-C to stop."
    );
}
