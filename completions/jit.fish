# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_jit_global_optspecs
    string join \n server= profile= o/output= no-color q/quiet v/verbose timeout= ca-cert= utc h/help V/version
end

function __fish_jit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_jit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_jit_using_subcommand
    set -l cmd (__fish_jit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c jit -n "__fish_jit_needs_command" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_needs_command" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_needs_command" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_needs_command" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_needs_command" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_needs_command" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_needs_command" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_needs_command" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_needs_command" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_needs_command" -s V -l version -d 'Print version'
complete -c jit -n "__fish_jit_needs_command" -f -a "login" -d 'Sign in to the server and keep the token in the OS keyring'
complete -c jit -n "__fish_jit_needs_command" -f -a "logout" -d 'Revoke the token on the server and remove it from the keyring'
complete -c jit -n "__fish_jit_needs_command" -f -a "whoami" -d 'Show who you are signed in as, with your roles and departments'
complete -c jit -n "__fish_jit_needs_command" -f -a "request" -d 'Ask for admin rights on a device'
complete -c jit -n "__fish_jit_needs_command" -f -a "requests" -d 'List the requests awaiting your decision (or your own, with --mine)'
complete -c jit -n "__fish_jit_needs_command" -f -a "status" -d 'Show your approvals, requests, training, activations and fixes, and what blocks activation'
complete -c jit -n "__fish_jit_needs_command" -f -a "activate" -d 'Activate admin rights on a device (at most the server\'s maximum, usually 4 hours)'
complete -c jit -n "__fish_jit_needs_command" -f -a "deactivate" -d 'End your live activation on a device before it expires'
complete -c jit -n "__fish_jit_needs_command" -f -a "approve" -d 'Approve requests awaiting your decision'
complete -c jit -n "__fish_jit_needs_command" -f -a "deny" -d 'Deny requests awaiting your decision, with a reason the requester sees'
complete -c jit -n "__fish_jit_needs_command" -f -a "reimage-fix" -d 'File, list, apply and reject reimaged-device fix requests'
complete -c jit -n "__fish_jit_needs_command" -f -a "config" -d 'Show or change the configuration'
complete -c jit -n "__fish_jit_needs_command" -f -a "completions" -d 'Print a shell completion script, e.g. `jit completions bash > /etc/bash_completion.d/jit`'
complete -c jit -n "__fish_jit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand login" -s u -l username -d 'Username to sign in as [default: `username` from the config file, else asked]' -r
complete -c jit -n "__fish_jit_using_subcommand login" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand login" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand login" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand login" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand login" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand login" -l password-stdin -d 'Read the password from the first line of stdin instead of asking'
complete -c jit -n "__fish_jit_using_subcommand login" -l print-token -d 'Print the token to stdout instead of storing it, for JIT_TOKEN in scripts and CI'
complete -c jit -n "__fish_jit_using_subcommand login" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand login" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand login" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand login" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand logout" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand logout" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand logout" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand logout" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand logout" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand logout" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand logout" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand logout" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand logout" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand logout" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand whoami" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand whoami" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand whoami" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand whoami" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand whoami" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand whoami" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand whoami" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand whoami" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand whoami" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand request" -s r -l reason -d 'Why you need admin rights (asked for on a terminal when left out)' -r
complete -c jit -n "__fish_jit_using_subcommand request" -l ticket -d 'A ticket reference to attach, e.g. INC0012345' -r
complete -c jit -n "__fish_jit_using_subcommand request" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand request" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand request" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand request" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand request" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand request" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand request" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand request" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand request" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand request" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand requests" -l state -d 'Only requests in this state: pending, approved, denied, cancelled, lapsed, expired' -r
complete -c jit -n "__fish_jit_using_subcommand requests" -l device -d 'Only requests for this device' -r
complete -c jit -n "__fish_jit_using_subcommand requests" -l requester -d 'Only requests by this user' -r
complete -c jit -n "__fish_jit_using_subcommand requests" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand requests" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand requests" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand requests" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand requests" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand requests" -l mine -d 'List your own requests instead'
complete -c jit -n "__fish_jit_using_subcommand requests" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand requests" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand requests" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand requests" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand requests" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand status" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand status" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand status" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand status" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand status" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand status" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand status" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand status" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand status" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand status" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand activate" -l for -d 'How long, e.g. 2h or 90m [default: the server\'s maximum]' -r
complete -c jit -n "__fish_jit_using_subcommand activate" -l wait-timeout -d 'Give up waiting after this long' -r
complete -c jit -n "__fish_jit_using_subcommand activate" -l poll-interval -d 'First delay between checks while waiting; it doubles up to 30s' -r
complete -c jit -n "__fish_jit_using_subcommand activate" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand activate" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand activate" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand activate" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand activate" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand activate" -l wait -d 'Wait until the device has picked the grant up, showing progress'
complete -c jit -n "__fish_jit_using_subcommand activate" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand activate" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand activate" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand activate" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand activate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand deactivate" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand deactivate" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand deactivate" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand deactivate" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand deactivate" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand deactivate" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand deactivate" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand deactivate" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand deactivate" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand deactivate" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand approve" -l device -d 'With --all or when picking: only requests for this device' -r
complete -c jit -n "__fish_jit_using_subcommand approve" -l requester -d 'With --all or when picking: only requests by this user' -r
complete -c jit -n "__fish_jit_using_subcommand approve" -l from-file -d 'Read the decisions from FILE, or from stdin with `-`' -r -F
complete -c jit -n "__fish_jit_using_subcommand approve" -l until -d 'Approval expiration: a date (end of that day, local time) or an RFC 3339 time [default: the server\'s default, e.g. a year]' -r
complete -c jit -n "__fish_jit_using_subcommand approve" -l for -d 'Approval expiration as a duration from now, e.g. 90d or 12w' -r
complete -c jit -n "__fish_jit_using_subcommand approve" -l reason -d 'A note recorded with each approval' -r
complete -c jit -n "__fish_jit_using_subcommand approve" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand approve" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand approve" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand approve" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand approve" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand approve" -l all -d 'Approve every pending request awaiting your decision (narrow with --device, --requester)'
complete -c jit -n "__fish_jit_using_subcommand approve" -l dry-run -d 'Show what would be decided and send nothing'
complete -c jit -n "__fish_jit_using_subcommand approve" -s y -l yes -d 'Do not ask for confirmation'
complete -c jit -n "__fish_jit_using_subcommand approve" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand approve" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand approve" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand approve" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand deny" -s r -l reason -d 'Why (asked for on a terminal when left out)' -r
complete -c jit -n "__fish_jit_using_subcommand deny" -l from-file -d 'Read the ids from FILE, or from stdin with `-` (a CSV may give a reason per line)' -r -F
complete -c jit -n "__fish_jit_using_subcommand deny" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand deny" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand deny" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand deny" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand deny" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand deny" -l dry-run -d 'Show what would be denied and send nothing'
complete -c jit -n "__fish_jit_using_subcommand deny" -s y -l yes -d 'Do not ask for confirmation'
complete -c jit -n "__fish_jit_using_subcommand deny" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand deny" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand deny" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand deny" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand deny" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -f -a "request" -d 'File a fix request for a reimaged device'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -f -a "list" -d 'List fix requests'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -f -a "apply" -d 'Re-bind devices to their new agent identity (IAM)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -f -a "reject" -d 'Reject the fix requests of devices (IAM)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and not __fish_seen_subcommand_from request list apply reject help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -l from-file -d 'Read device names from FILE (one per line, optional header `device`), `-` for stdin' -r -F
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from request" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -l state -d 'Only fix requests in this state: open, resolved, rejected' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -l from-file -d 'Read device names from FILE (one per line, optional header `device`), `-` for stdin' -r -F
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -l from-file -d 'Read device names from FILE (one per line, optional header `device`), `-` for stdin' -r -F
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -s r -l reason -d 'Why the fixes are rejected' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from reject" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from help" -f -a "request" -d 'File a fix request for a reimaged device'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from help" -f -a "list" -d 'List fix requests'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Re-bind devices to their new agent identity (IAM)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from help" -f -a "reject" -d 'Reject the fix requests of devices (IAM)'
complete -c jit -n "__fish_jit_using_subcommand reimage-fix; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -f -a "show" -d 'Show the settings in force and where each comes from'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -f -a "path" -d 'Print the path of the config file'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -f -a "set" -d 'Set a key in the config file (in the --profile\'s table when one is given)'
complete -c jit -n "__fish_jit_using_subcommand config; and not __fish_seen_subcommand_from show path set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the settings in force and where each comes from'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of the config file'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set a key in the config file (in the --profile\'s table when one is given)'
complete -c jit -n "__fish_jit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand completions" -l server -d 'Base URL of the jitd server [env: JIT_SERVER]' -r
complete -c jit -n "__fish_jit_using_subcommand completions" -l profile -d 'Named profile from the config file [env: JIT_PROFILE]' -r
complete -c jit -n "__fish_jit_using_subcommand completions" -s o -l output -d 'Output format for data [default: table]' -r -f -a "table\t''
json\t''
csv\t''"
complete -c jit -n "__fish_jit_using_subcommand completions" -l timeout -d 'Time limit for each call to the server, e.g. 30s or 2m [default: 30s]' -r
complete -c jit -n "__fish_jit_using_subcommand completions" -l ca-cert -d 'PEM file of a private certificate authority that signed the server\'s certificate' -r -F
complete -c jit -n "__fish_jit_using_subcommand completions" -l no-color -d 'Never colour the output (also when NO_COLOR is set)'
complete -c jit -n "__fish_jit_using_subcommand completions" -s q -l quiet -d 'Print data and errors only, no progress or status messages'
complete -c jit -n "__fish_jit_using_subcommand completions" -s v -l verbose -d 'Show each HTTP call and its timing on stderr (never the token)'
complete -c jit -n "__fish_jit_using_subcommand completions" -l utc -d 'Show times in UTC instead of local time'
complete -c jit -n "__fish_jit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "login" -d 'Sign in to the server and keep the token in the OS keyring'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "logout" -d 'Revoke the token on the server and remove it from the keyring'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "whoami" -d 'Show who you are signed in as, with your roles and departments'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "request" -d 'Ask for admin rights on a device'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "requests" -d 'List the requests awaiting your decision (or your own, with --mine)'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "status" -d 'Show your approvals, requests, training, activations and fixes, and what blocks activation'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "activate" -d 'Activate admin rights on a device (at most the server\'s maximum, usually 4 hours)'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "deactivate" -d 'End your live activation on a device before it expires'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "approve" -d 'Approve requests awaiting your decision'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "deny" -d 'Deny requests awaiting your decision, with a reason the requester sees'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "reimage-fix" -d 'File, list, apply and reject reimaged-device fix requests'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "config" -d 'Show or change the configuration'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "completions" -d 'Print a shell completion script, e.g. `jit completions bash > /etc/bash_completion.d/jit`'
complete -c jit -n "__fish_jit_using_subcommand help; and not __fish_seen_subcommand_from login logout whoami request requests status activate deactivate approve deny reimage-fix config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from reimage-fix" -f -a "request" -d 'File a fix request for a reimaged device'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from reimage-fix" -f -a "list" -d 'List fix requests'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from reimage-fix" -f -a "apply" -d 'Re-bind devices to their new agent identity (IAM)'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from reimage-fix" -f -a "reject" -d 'Reject the fix requests of devices (IAM)'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show the settings in force and where each comes from'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of the config file'
complete -c jit -n "__fish_jit_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set a key in the config file (in the --profile\'s table when one is given)'
