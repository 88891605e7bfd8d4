//! Functions behind the `vigil bank|analyze|score|norms|calibrate|cat` commands.
//!
//! This is the only module that touches the file system. Every file is read
//! with a size limit (checked before reading, and enforced while reading),
//! every error names the file, and every output file is written atomically
//! (to a temporary file in the same directory, then renamed), so a failed
//! run never leaves a half-written file behind.
//!
//! One file per command, and [`io`] for the file handling they share.

pub mod analyze;
pub mod calibrate;
pub mod cat;
pub mod io;
pub mod norms;
pub mod publish;
pub mod score;
pub mod simulate;
pub mod validate;

pub use analyze::*;
pub use calibrate::*;
pub use cat::*;
pub use io::*;
pub use norms::*;
pub use publish::*;
pub use score::*;
pub use simulate::*;
pub use validate::*;
