//! `jitd`: the backend of `jit`. Everything lives in `jit::server`.

fn main() -> std::process::ExitCode {
    jit::server::cli::main()
}
