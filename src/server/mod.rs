//! The `jitd` backend: HTTP routes, the JIT rules, storage and background jobs.
