//! Vietnamese text normalisation, one concern per module.

pub mod legacy;
