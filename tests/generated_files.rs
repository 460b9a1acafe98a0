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

/// The date on the man pages. A fixed date keeps the files reproducible; bump it with a release.
const MAN_DATE: &str = "2026-12-03";

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
    files.push(("man/jitd.1".to_owned(), render_man_page(jitd)));

    files
}

/// One page for the command and one for each visible subcommand, recursively, named the way
/// `man jit-reimage-fix-apply` expects.
fn add_man_pages(command: &Command, name: &str, files: &mut Vec<(String, Vec<u8>)>) {
    let titled = command.clone().name(name.to_owned());
    files.push((format!("man/{name}.1"), render_man_page(titled)));

    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        add_man_pages(sub, &format!("{name}-{}", sub.get_name()), files);
    }
}

fn render_man_page(command: Command) -> Vec<u8> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command).date(MAN_DATE).render(&mut page).expect("render man page");

    // clap_mangen separates a possible-values list with `.br`, a blank line and `.br`; the
    // blank line already breaks, so mandoc warns about both `.br`. One `.sp` says the same.
    let text = String::from_utf8(page).expect("man pages are UTF-8");
    text.replace(".br\n\n.br\n", ".sp\n").into_bytes()
}

#[test]
fn committed_completions_and_man_pages_are_current() {
    let update = std::env::var_os(UPDATE_VAR).is_some();
    let mut stale = Vec::new();
    let files = generated_files();

    // A file left behind by a removed subcommand is stale too.
    for folder in ["completions", "man"] {
        for entry in std::fs::read_dir(repo_file(folder)).into_iter().flatten().flatten() {
            let relative = format!("{folder}/{}", entry.file_name().to_string_lossy());
            if !files.iter().any(|(name, _)| *name == relative) {
                if update {
                    std::fs::remove_file(entry.path()).expect("remove orphaned file");
                } else {
                    stale.push(relative);
                }
            }
        }
    }

    for (relative, contents) in files {
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
