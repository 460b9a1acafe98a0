//! The one error type of the command line: every failure is classified into an exit code
//! here, and printed as `Error:`, the cause chain, and `Hint:` lines with the fix.

use crate::api::ErrorCode;
use crate::client::ClientError;
use crate::client::config::ConfigError;
use crate::client::token::TokenStoreError;

/// The process exit code of a `jit` invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExitCode(pub u8);

impl ExitCode {
    pub const SUCCESS: ExitCode = ExitCode(0);
    pub const GENERAL: ExitCode = ExitCode(1);
    pub const USAGE: ExitCode = ExitCode(2);
    pub const AUTH: ExitCode = ExitCode(3);
    pub const FORBIDDEN: ExitCode = ExitCode(4);
    pub const NOT_FOUND: ExitCode = ExitCode(5);
    pub const REFUSED: ExitCode = ExitCode(6);
    pub const UNREACHABLE: ExitCode = ExitCode(7);
    pub const PARTIAL: ExitCode = ExitCode(8);
    pub const INTERRUPTED: ExitCode = ExitCode(130);

    pub fn code(self) -> u8 {
        self.0
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.0)
    }
}

/// The exit codes as `jit --help` lists them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    general error
  2    usage error (bad arguments, or a prompt needed but stdin is not a terminal)
  3    not logged in, or session expired
  4    forbidden
  5    not found
  6    refused by a rule (training, approval, reimaged device, device not found, ...)
  7    server unreachable or timed out
  8    partial batch failure: some items failed, others succeeded
  130  interrupted (Ctrl-C)";

/// What kind of failure ended a command; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    General,
    Usage,
    Auth,
    Forbidden,
    NotFound,
    Refused,
    Unreachable,
    PartialBatch,
    Interrupted,
    /// The reader of stdout went away (`jit ... | head -1`): end quietly.
    BrokenPipe,
}

impl ErrorKind {
    pub fn exit_code(self) -> ExitCode {
        match self {
            ErrorKind::General => ExitCode::GENERAL,
            ErrorKind::Usage => ExitCode::USAGE,
            ErrorKind::Auth => ExitCode::AUTH,
            ErrorKind::Forbidden => ExitCode::FORBIDDEN,
            ErrorKind::NotFound => ExitCode::NOT_FOUND,
            ErrorKind::Refused => ExitCode::REFUSED,
            ErrorKind::Unreachable => ExitCode::UNREACHABLE,
            ErrorKind::PartialBatch => ExitCode::PARTIAL,
            ErrorKind::Interrupted => ExitCode::INTERRUPTED,
            ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        }
    }

    /// The kind of failure a server error code means for the user.
    pub fn of_code(code: ErrorCode) -> ErrorKind {
        use ErrorCode::*;
        match code {
            Unauthenticated | SessionExpired | InvalidCredentials => ErrorKind::Auth,
            Forbidden | NotResponsiblePerson | OwnRequest | AgentMismatch => ErrorKind::Forbidden,
            NotFound | UnknownDevice | UnknownUser => ErrorKind::NotFound,
            NoApproval
            | ApprovalExpired
            | TrainingRequired
            | TrainingExpired
            | DeviceNotFound
            | DeviceReimaged
            | DeviceNotReimaged
            | AlreadyDecided
            | RequestNotPending
            | ActivationNotLive
            | FixNotOpen
            | InvalidApprovalExpiration => ErrorKind::Refused,
            InvalidInput | ReasonRequired | InvalidDuration | PayloadTooLarge => ErrorKind::Usage,
            Unavailable | RequestTimeout => ErrorKind::Unreachable,
            IdempotencyKeyReused | RateLimited | Internal => ErrorKind::General,
        }
    }
}

/// A failed command: its kind, the error with its causes, and hints that say what to do.
#[derive(Debug)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub error: anyhow::Error,
    pub hints: Vec<String>,
}

impl CommandError {
    pub fn new(kind: ErrorKind, error: impl Into<anyhow::Error>) -> CommandError {
        CommandError { kind, error: error.into(), hints: Vec::new() }
    }

    pub fn usage(message: impl std::fmt::Display) -> CommandError {
        CommandError::new(ErrorKind::Usage, anyhow::anyhow!("{message}"))
    }

    pub fn general(message: impl std::fmt::Display) -> CommandError {
        CommandError::new(ErrorKind::General, anyhow::anyhow!("{message}"))
    }

    /// A prompt is needed but stdin is not a terminal: name the flag that replaces it.
    pub fn needs_flag(what: &str, flag: &str) -> CommandError {
        CommandError::usage(format!("{what} is needed and stdin is not a terminal to ask for it"))
            .hint(format!("pass {flag}"))
    }

    pub fn interrupted() -> CommandError {
        CommandError::new(ErrorKind::Interrupted, anyhow::anyhow!("interrupted"))
    }

    pub fn hint(mut self, hint: impl Into<String>) -> CommandError {
        self.hints.push(hint.into());
        self
    }

    pub fn context(mut self, context: impl std::fmt::Display + Send + Sync + 'static) -> Self {
        self.error = self.error.context(context);
        self
    }

    pub fn exit_code(&self) -> ExitCode {
        self.kind.exit_code()
    }
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return CommandError::new(ErrorKind::BrokenPipe, e);
        }
        CommandError::new(ErrorKind::General, e)
    }
}

impl From<ConfigError> for CommandError {
    fn from(e: ConfigError) -> Self {
        let hint = match &e {
            ConfigError::UnknownProfile { known, .. } if known.is_empty() => {
                "the config file defines no profiles; add a [profiles.NAME] table".to_string()
            }
            ConfigError::UnknownProfile { known, .. } => {
                format!("known profiles: {}", known.join(", "))
            }
            ConfigError::UnknownKey { .. } | ConfigError::Invalid { .. } => format!(
                "the keys are: default_profile, {}, and [profiles.NAME] tables; see `jit config \
                 show`",
                crate::client::config::SETTING_KEYS.join(", ")
            ),
            _ => "check the file's permissions, or point JIT_CONFIG at another file".to_string(),
        };
        let kind = match e {
            ConfigError::UnknownKey { .. } | ConfigError::BadValue { .. } => ErrorKind::Usage,
            _ => ErrorKind::General,
        };
        CommandError::new(kind, e).hint(hint)
    }
}

impl From<TokenStoreError> for CommandError {
    fn from(e: TokenStoreError) -> Self {
        CommandError::new(ErrorKind::General, e).hint(
            "unlock or start your keyring (on Linux a Secret Service such as gnome-keyring, or \
             kernel keyutils); or, for scripts, set JIT_TOKEN to a token from `jit login \
             --print-token`",
        )
    }
}

impl From<ClientError> for CommandError {
    fn from(e: ClientError) -> Self {
        match &e {
            ClientError::Api { problem, .. } => {
                let kind = ErrorKind::of_code(problem.code);
                let mut hints = Vec::new();
                if let Some(steps) = &problem.remedy {
                    let steps: Vec<String> = steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| format!("  {}. {s}", i + 1))
                        .collect();
                    hints.push(format!("to fix this:\n{}", steps.join("\n")));
                }
                if let Some(hint) = &problem.hint {
                    hints.push(hint.clone());
                }
                if let (Some(by), Some(at)) = (&problem.decided_by, problem.decided_at) {
                    hints.push(format!("decided by {by} at {}", at.format("%Y-%m-%d %H:%M UTC")));
                }
                // The server's own hint comes first; the generic one only adds what it lacks.
                let generic = code_hint(problem.code).filter(|h| {
                    problem.hint.as_ref().is_none_or(|server| {
                        h.contains("jit reimage-fix") && !server.contains("jit reimage-fix")
                    })
                });
                hints.extend(generic);
                if let Some(id) = &problem.request_id {
                    hints.push(format!(
                        "the server's request id is {id}; quote it when asking for help"
                    ));
                }
                let message = match problem.code {
                    ErrorCode::Unauthenticated | ErrorCode::SessionExpired => {
                        "session expired: run `jit login`".to_string()
                    }
                    _ => format!("{} ({})", problem.detail, problem.code),
                };
                CommandError { kind, error: anyhow::anyhow!(message), hints }
            }
            ClientError::Unreachable { .. } => CommandError::new(ErrorKind::Unreachable, e)
                .hint("check the server URL (`jit config show`) and that jitd is running"),
            ClientError::Timeout { .. } => CommandError::new(ErrorKind::Unreachable, e).hint(
                "the server may be overloaded or a network device is holding the \
                       connection; try again later or raise --timeout",
            ),
            ClientError::Tls { detail, .. } if detail.contains("plain HTTP") => {
                CommandError::new(ErrorKind::Unreachable, e)
                    .hint("check the port, or use an http:// URL if the server has no TLS")
            }
            ClientError::Tls { .. } => CommandError::new(ErrorKind::Unreachable, e).hint(
                "if your organisation uses a private certificate authority, pass its \
                 certificate with --ca-cert FILE (or set ca_cert in the config file)",
            ),
            ClientError::BadResponse { request_id, .. } => {
                let id = request_id.clone();
                let mut err = CommandError::new(ErrorKind::General, e)
                    .hint("check that the server URL points at jitd itself");
                if let Some(id) = id {
                    err = err.hint(format!("the server's request id is {id}"));
                }
                err
            }
            ClientError::NoServer => CommandError::new(ErrorKind::Usage, e)
                .hint("pass --server URL, set JIT_SERVER, or run `jit config set server URL`"),
            ClientError::InvalidUrl { .. } | ClientError::Proxy { .. } => {
                CommandError::new(ErrorKind::Usage, e)
            }
            ClientError::CaCert { .. } => CommandError::new(ErrorKind::Usage, e)
                .hint("--ca-cert takes a PEM file holding the authority's certificate"),
            ClientError::Setup(_) => CommandError::new(ErrorKind::General, e),
        }
    }
}

/// The next step for refusals whose fix is always the same.
fn code_hint(code: ErrorCode) -> Option<String> {
    let hint = match code {
        ErrorCode::DeviceReimaged => {
            "file a fix with `jit reimage-fix request DEVICE`; IAM re-binds the device"
        }
        ErrorCode::TrainingExpired | ErrorCode::TrainingRequired => {
            "complete the course in the learning system; `jit status` shows your training"
        }
        ErrorCode::NoApproval | ErrorCode::ApprovalExpired => {
            "ask for access with `jit request DEVICE --reason TEXT`"
        }
        ErrorCode::InvalidCredentials => "check the username and password, then `jit login` again",
        ErrorCode::RateLimited => "too many attempts: wait a minute and try again",
        _ => return None,
    };
    Some(hint.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Problem;

    fn api_error(code: ErrorCode) -> CommandError {
        ClientError::Api {
            method: "GET".into(),
            url: "http://x".into(),
            problem: Box::new(Problem::new(code, "t", "detail")),
        }
        .into()
    }

    #[test]
    fn every_server_code_maps_to_its_documented_exit_code() {
        let cases = [
            (ErrorCode::SessionExpired, 3),
            (ErrorCode::Unauthenticated, 3),
            (ErrorCode::Forbidden, 4),
            (ErrorCode::NotResponsiblePerson, 4),
            (ErrorCode::NotFound, 5),
            (ErrorCode::UnknownDevice, 5),
            (ErrorCode::TrainingExpired, 6),
            (ErrorCode::DeviceNotFound, 6),
            (ErrorCode::DeviceReimaged, 6),
            (ErrorCode::AlreadyDecided, 6),
            (ErrorCode::InvalidDuration, 2),
            (ErrorCode::Unavailable, 7),
            (ErrorCode::Internal, 1),
        ];
        for (code, exit) in cases {
            assert_eq!(api_error(code).exit_code().code(), exit, "{code}");
        }
    }

    #[test]
    fn an_expired_session_says_to_log_in() {
        let err = api_error(ErrorCode::SessionExpired);
        assert_eq!(err.error.to_string(), "session expired: run `jit login`");
    }

    #[test]
    fn a_remedy_becomes_numbered_steps() {
        let mut problem = Problem::new(ErrorCode::DeviceNotFound, "t", "not found");
        problem.remedy = Some(vec!["open the tray".into(), "retry".into()]);
        let err: CommandError =
            ClientError::Api { method: "POST".into(), url: "u".into(), problem: Box::new(problem) }
                .into();
        assert!(err.hints[0].contains("1. open the tray\n  2. retry"), "{:?}", err.hints);
    }

    #[test]
    fn a_broken_pipe_ends_quietly_with_success() {
        let err: CommandError = std::io::Error::from(std::io::ErrorKind::BrokenPipe).into();
        assert_eq!(err.kind, ErrorKind::BrokenPipe);
        assert_eq!(err.exit_code(), ExitCode::SUCCESS);
    }
}
