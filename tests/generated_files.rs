//! The completions in `completions/` and the man pages in `man/` are generated from the clap
//! definitions. These tests fail when a committed file is stale; refresh them all with
//!
//! ```text
//! JIT_UPDATE_GENERATED=1 cargo test --test generated_files
//! ```

use std::path::{Path, PathBuf};

use clap::{Command, CommandFactory};
use clap_complete::Shell;

const UPDATE_VAR: &str = "JIT_UPDATE_GENERATED";

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Every generated file, as (path relative to the repo, contents).
fn generated_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();

    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
        let mut command = jit::cli::Cli::command();
        let mut contents = Vec::new();
        clap_complete::generate(shell, &mut command, "jit", &mut contents);
        let name = match shell {
            Shell::Bash => "jit.bash".to_owned(),
            Shell::Zsh => "_jit".to_owned(),
            Shell::Fish => "jit.fish".to_owned(),
            Shell::PowerShell => "_jit.ps1".to_owned(),
            Shell::Elvish => "jit.elv".to_owned(),
            other => panic!("no file name for {other}"),
        };
        files.push((format!("completions/{name}"), contents));
    }

    let mut jit = jit::cli::Cli::command();
    jit.build();
    add_man_pages(&jit, "jit", &mut files);

    let mut jitd = jit::server::cli::Jitd::command();
    jitd.build();
    let mut page = Vec::new();
    clap_mangen::Man::new(jitd).render(&mut page).expect("render jitd man page");
    files.push(("man/jitd.1".to_owned(), page));

    files
}

/// One page for the command and one for each visible subcommand, recursively, named the way
/// `man jit-reimage-fix-apply` expects.
fn add_man_pages(command: &Command, name: &str, files: &mut Vec<(String, Vec<u8>)>) {
    let mut page = Vec::new();
    let titled = command.clone().name(name.to_owned());
    clap_mangen::Man::new(titled).render(&mut page).expect("render man page");
    files.push((format!("man/{name}.1"), page));

    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        add_man_pages(sub, &format!("{name}-{}", sub.get_name()), files);
    }
}

#[test]
fn committed_completions_and_man_pages_are_current() {
    let update = std::env::var_os(UPDATE_VAR).is_some();
    let mut stale = Vec::new();

    for (relative, contents) in generated_files() {
        let path = repo_file(&relative);
        if update {
            std::fs::create_dir_all(path.parent().expect("file has a folder")).expect("mkdir");
            std::fs::write(&path, &contents).expect("write generated file");
        } else if std::fs::read(&path).ok().as_deref() != Some(contents.as_slice()) {
            stale.push(relative);
        }
    }

    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}\nrefresh them with: \
         {UPDATE_VAR}=1 cargo test --test generated_files"
    );
}
