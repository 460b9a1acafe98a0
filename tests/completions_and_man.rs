//! The committed completions work in real shells and the man pages are clean troff.
//!
//! These need bash, zsh, fish and mandoc on the machine; `.ci/run` installs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn completions() -> PathBuf {
    repo().join("completions")
}

/// Runs a shell script and returns its standard output, failing the test on a non-zero exit.
fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| panic!("{program} could not start ({e}); .ci/run installs it"));
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn bash_complete(line: &str) -> Vec<String> {
    let script = format!(
        r#"source "{file}"
line="{line}"
read -ra COMP_WORDS <<< "$line"
[[ "$line" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="$line"
COMP_POINT=${{#line}}
_jit jit "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        file = completions().join("jit.bash").display()
    );
    run("bash", &["--norc", "--noprofile", "-c", &script]).lines().map(str::to_owned).collect()
}

fn fish_complete(line: &str) -> Vec<String> {
    let script =
        format!("source '{}'; complete -C '{line}'", completions().join("jit.fish").display());
    run("fish", &["--no-config", "-c", &script])
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

/// zsh completes only inside its line editor, so drive an interactive zsh in a
/// pseudo-terminal, press Tab, and record every candidate handed to `compadd`.
fn zsh_complete(line: &str) -> Vec<String> {
    let out = tempfile::NamedTempFile::new().expect("temp file");
    let script = format!(
        r#"zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "fpath=({dir} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "compadd() {{ builtin compadd \"\$@\"; local -a hits; builtin compadd -O hits \"\$@\"; print -rl -- \$hits >> {out} }}"
zpty -w z "{line}"$'\t'
sleep 2
zpty -d z"#,
        dir = completions().display(),
        out = out.path().display(),
    );
    run("zsh", &["-f", "-c", &script]);
    std::fs::read_to_string(out.path())
        .expect("read candidates")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn assert_offers(shell: &str, candidates: &[String], expected: &[&str]) {
    for want in expected {
        assert!(
            candidates.iter().any(|c| c == want),
            "{shell} did not offer {want:?}; it offered {candidates:?}"
        );
    }
}

#[test]
fn bash_completes_subcommands_and_flags() {
    assert_offers("bash", &bash_complete("jit req"), &["request", "requests"]);
    assert_offers("bash", &bash_complete("jit activate --w"), &["--wait"]);
}

#[test]
fn zsh_completes_subcommands_and_flags() {
    assert_offers("zsh", &zsh_complete("jit req"), &["request", "requests"]);
    assert_offers("zsh", &zsh_complete("jit activate --w"), &["--wait"]);
}

#[test]
fn fish_completes_subcommands_and_flags() {
    assert_offers("fish", &fish_complete("jit req"), &["request", "requests"]);
    assert_offers("fish", &fish_complete("jit activate --w"), &["--wait"]);
}

#[test]
fn every_man_page_passes_mandoc_lint() {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(repo().join("man"))
        .expect("man/ exists")
        .map(|entry| entry.expect("read man/").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "1"))
        .collect();
    pages.sort();
    assert!(pages.len() > 10, "expected a page per subcommand, found {}", pages.len());

    for page in pages {
        let output = Command::new("mandoc")
            .args(["-Tlint", "-W", "warning"])
            .arg(&page)
            .output()
            .expect("mandoc runs; .ci/run installs it");
        let report = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && report.trim().is_empty(),
            "{} has mandoc warnings:\n{report}",
            page.display()
        );
    }
}
