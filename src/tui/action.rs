//! What a key means, independent of which key it was. Screens update on actions only.

/// One thing the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Ctrl+C: leave anketa, saving the draft first.
    Quit,
    /// `?` (outside text fields) or F1.
    Help,
    /// F2: Bulgarian ↔ English.
    ToggleLanguage,
    /// F8.
    DontKnow,
    /// F9.
    Refused,
    /// F6: save to another folder after a failed save.
    SaveElsewhere,
    /// F10: finish the interview (from the review).
    Finish,
    /// F7 or Ctrl+E: end the interview now, with a reason (refusal, break-off…).
    EndInterview,
    /// Esc: back, close, pause.
    Back,
    /// Enter.
    Confirm,
    /// Shift+Tab: the previous question.
    Previous,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// A digit outside text fields: choose option n (0 is the tenth).
    Digit(u8),
    /// Space outside text fields: tick the highlighted option.
    Toggle,
    /// A character typed into a text field (or a letter answering a dialog).
    Insert(char),
    Backspace,
    Delete,
    /// Ctrl+U: empty the text field.
    ClearLine,
    /// The terminal changed size.
    Resize,
}
