//! The `jit` command line: argument definitions, dispatch and output, one module per command.
