//! One module per page.

mod check;
mod home;
mod not_found;

pub use check::DeviceCheck;
pub use home::Home;
pub use not_found::NotFound;
