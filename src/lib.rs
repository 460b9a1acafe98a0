//! `jit`: just-in-time elevated privileged access.
//!
//! Staff request admin rights on a named managed device, their responsible person approves,
//! a training course must be current, and then they activate admin rights for a few hours at
//! a time until the approval expires. This library holds both halves of the product:
//!
//! - [`api`]: the wire types of the REST API, shared by both sides;
//! - [`client`]: talking to the API (HTTP, configuration, token storage);
//! - [`cli`]: the `jit` command line, one module per command;
//! - `server` (feature `server`): the `jitd` backend: routes, rules, storage and jobs.

pub mod api;
pub mod cli;
pub mod client;
#[cfg(feature = "server")]
pub mod server;
