//! Widgets of the dashboards: text fitting by display width, the interval bar, the heat table.

pub mod heat_table;
pub mod interval_bar;
pub mod text;
