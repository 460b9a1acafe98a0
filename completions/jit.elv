
use builtin;
use str;

set edit:completion:arg-completer[jit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'jit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'jit'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Sign in to the server and keep the token in the OS keyring'
            cand logout 'Revoke the token on the server and remove it from the keyring'
            cand whoami 'Show who you are signed in as, with your roles and departments'
            cand request 'Ask for admin rights on a device'
            cand requests 'List the requests awaiting your decision (or your own, with --mine)'
            cand status 'Show your approvals, requests, training, activations and fixes, and what blocks activation'
            cand activate 'Activate admin rights on a device (at most the server''s maximum, usually 4 hours)'
            cand deactivate 'End your live activation on a device before it expires'
            cand approve 'Approve requests awaiting your decision'
            cand deny 'Deny requests awaiting your decision, with a reason the requester sees'
            cand reimage-fix 'File, list, apply and reject reimaged-device fix requests'
            cand config 'Show or change the configuration'
            cand completions 'Print a shell completion script, e.g. `jit completions bash > /etc/bash_completion.d/jit`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;login'= {
            cand -u 'Username to sign in as [default: `username` from the config file, else asked]'
            cand --username 'Username to sign in as [default: `username` from the config file, else asked]'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --password-stdin 'Read the password from the first line of stdin instead of asking'
            cand --print-token 'Print the token to stdout instead of storing it, for JIT_TOKEN in scripts and CI'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'jit;logout'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;whoami'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;request'= {
            cand -r 'Why you need admin rights (asked for on a terminal when left out)'
            cand --reason 'Why you need admin rights (asked for on a terminal when left out)'
            cand --ticket 'A ticket reference to attach, e.g. INC0012345'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'jit;requests'= {
            cand --state 'Only requests in this state: pending, approved, denied, cancelled, lapsed, expired'
            cand --device 'Only requests for this device'
            cand --requester 'Only requests by this user'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --mine 'List your own requests instead'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;status'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;activate'= {
            cand --for 'How long, e.g. 2h or 90m [default: the server''s maximum]'
            cand --wait-timeout 'Give up waiting after this long'
            cand --poll-interval 'First delay between checks while waiting; it doubles up to 30s'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --wait 'Wait until the device has picked the grant up, showing progress'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'jit;deactivate'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;approve'= {
            cand --device 'With --all or when picking: only requests for this device'
            cand --requester 'With --all or when picking: only requests by this user'
            cand --from-file 'Read the decisions from FILE, or from stdin with `-`'
            cand --until 'Approval expiration: a date (end of that day, local time) or an RFC 3339 time [default: the server''s default, e.g. a year]'
            cand --for 'Approval expiration as a duration from now, e.g. 90d or 12w'
            cand --reason 'A note recorded with each approval'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --all 'Approve every pending request awaiting your decision (narrow with --device, --requester)'
            cand --dry-run 'Show what would be decided and send nothing'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'jit;deny'= {
            cand -r 'Why (asked for on a terminal when left out)'
            cand --reason 'Why (asked for on a terminal when left out)'
            cand --from-file 'Read the ids from FILE, or from stdin with `-` (a CSV may give a reason per line)'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --dry-run 'Show what would be denied and send nothing'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;reimage-fix'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand request 'File a fix request for a reimaged device'
            cand list 'List fix requests'
            cand apply 'Re-bind devices to their new agent identity (IAM)'
            cand reject 'Reject the fix requests of devices (IAM)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;reimage-fix;request'= {
            cand --from-file 'Read device names from FILE (one per line, optional header `device`), `-` for stdin'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;reimage-fix;list'= {
            cand --state 'Only fix requests in this state: open, resolved, rejected'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;reimage-fix;apply'= {
            cand --from-file 'Read device names from FILE (one per line, optional header `device`), `-` for stdin'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;reimage-fix;reject'= {
            cand --from-file 'Read device names from FILE (one per line, optional header `device`), `-` for stdin'
            cand -r 'Why the fixes are rejected'
            cand --reason 'Why the fixes are rejected'
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;reimage-fix;help'= {
            cand request 'File a fix request for a reimaged device'
            cand list 'List fix requests'
            cand apply 'Re-bind devices to their new agent identity (IAM)'
            cand reject 'Reject the fix requests of devices (IAM)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;reimage-fix;help;request'= {
        }
        &'jit;reimage-fix;help;list'= {
        }
        &'jit;reimage-fix;help;apply'= {
        }
        &'jit;reimage-fix;help;reject'= {
        }
        &'jit;reimage-fix;help;help'= {
        }
        &'jit;config'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
            cand show 'Show the settings in force and where each comes from'
            cand path 'Print the path of the config file'
            cand set 'Set a key in the config file (in the --profile''s table when one is given)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;config;show'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;config;path'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;config;set'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;config;help'= {
            cand show 'Show the settings in force and where each comes from'
            cand path 'Print the path of the config file'
            cand set 'Set a key in the config file (in the --profile''s table when one is given)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;config;help;show'= {
        }
        &'jit;config;help;path'= {
        }
        &'jit;config;help;set'= {
        }
        &'jit;config;help;help'= {
        }
        &'jit;completions'= {
            cand --server 'Base URL of the jitd server [env: JIT_SERVER]'
            cand --profile 'Named profile from the config file [env: JIT_PROFILE]'
            cand -o 'Output format for data [default: table]'
            cand --output 'Output format for data [default: table]'
            cand --timeout 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]'
            cand --ca-cert 'PEM file of a private certificate authority that signed the server''s certificate'
            cand --no-color 'Never colour the output (also when NO_COLOR is set)'
            cand -q 'Print data and errors only, no progress or status messages'
            cand --quiet 'Print data and errors only, no progress or status messages'
            cand -v 'Show each HTTP call and its timing on stderr (never the token)'
            cand --verbose 'Show each HTTP call and its timing on stderr (never the token)'
            cand --utc 'Show times in UTC instead of local time'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'jit;help'= {
            cand login 'Sign in to the server and keep the token in the OS keyring'
            cand logout 'Revoke the token on the server and remove it from the keyring'
            cand whoami 'Show who you are signed in as, with your roles and departments'
            cand request 'Ask for admin rights on a device'
            cand requests 'List the requests awaiting your decision (or your own, with --mine)'
            cand status 'Show your approvals, requests, training, activations and fixes, and what blocks activation'
            cand activate 'Activate admin rights on a device (at most the server''s maximum, usually 4 hours)'
            cand deactivate 'End your live activation on a device before it expires'
            cand approve 'Approve requests awaiting your decision'
            cand deny 'Deny requests awaiting your decision, with a reason the requester sees'
            cand reimage-fix 'File, list, apply and reject reimaged-device fix requests'
            cand config 'Show or change the configuration'
            cand completions 'Print a shell completion script, e.g. `jit completions bash > /etc/bash_completion.d/jit`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jit;help;login'= {
        }
        &'jit;help;logout'= {
        }
        &'jit;help;whoami'= {
        }
        &'jit;help;request'= {
        }
        &'jit;help;requests'= {
        }
        &'jit;help;status'= {
        }
        &'jit;help;activate'= {
        }
        &'jit;help;deactivate'= {
        }
        &'jit;help;approve'= {
        }
        &'jit;help;deny'= {
        }
        &'jit;help;reimage-fix'= {
            cand request 'File a fix request for a reimaged device'
            cand list 'List fix requests'
            cand apply 'Re-bind devices to their new agent identity (IAM)'
            cand reject 'Reject the fix requests of devices (IAM)'
        }
        &'jit;help;reimage-fix;request'= {
        }
        &'jit;help;reimage-fix;list'= {
        }
        &'jit;help;reimage-fix;apply'= {
        }
        &'jit;help;reimage-fix;reject'= {
        }
        &'jit;help;config'= {
            cand show 'Show the settings in force and where each comes from'
            cand path 'Print the path of the config file'
            cand set 'Set a key in the config file (in the --profile''s table when one is given)'
        }
        &'jit;help;config;show'= {
        }
        &'jit;help;config;path'= {
        }
        &'jit;help;config;set'= {
        }
        &'jit;help;completions'= {
        }
        &'jit;help;help'= {
        }
    ]
    $completions[$command]
}
