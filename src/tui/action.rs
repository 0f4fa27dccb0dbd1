//! What a key means, independent of which key it was. Screens update on actions only.

/// One thing the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Ctrl+C: leave anketa, saving the draft first.
    Quit,
    /// `?` (outside text fields) or F1.
    Help,
    /// F2 or Ctrl+L: Bulgarian ↔ English.
    ToggleLanguage,
    /// F3, Ctrl+G or `/` outside text fields: the list of questions, to jump to one.
    Jump,
    /// F4 or Ctrl+N: the interviewer's remark on the question on screen.
    Remark,
    /// F8 or Ctrl+D.
    DontKnow,
    /// F9 or Ctrl+R.
    Refused,
    /// F6 or Ctrl+S: save to another folder after a failed save.
    SaveElsewhere,
    /// F10 or Ctrl+F: finish the interview (from the review).
    Finish,
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
