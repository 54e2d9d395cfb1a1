//! Frontends turn each kind of source into the normalized graph.

pub mod cdk;
pub mod cloudformation;
pub mod terraform;
