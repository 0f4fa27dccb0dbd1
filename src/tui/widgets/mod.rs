//! Reusable pieces of the screens.

pub mod edit_line;
pub mod picker;
pub mod text_area;

pub use edit_line::EditLine;
pub use picker::Picker;
