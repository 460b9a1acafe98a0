//! The `jit` binary: runs the command line on this process's arguments and streams.

fn main() -> std::process::ExitCode {
    jit::cli::run(jit::cli::Invocation::from_process()).into()
}
