//! Talking to the `jitd` REST API: HTTP, configuration and token storage.
