//! Everything the command line prints goes through here, for two reasons.
//!
//! **Text from files is shown, never obeyed.** Names, labels, municipalities, reasons quoting a
//! file's content and file names themselves come from files that other laptops wrote. Printed
//! raw, a municipality of `"\r\x1b[2K"` moves the cursor and erases the line that names the
//! broken file. Every line printed has its control characters (C0 but newline and tab, DEL, C1,
//! and the bidirectional overrides that reorder what is shown) replaced by a visible escape such
//! as `\u{1b}` — see [`escape_controls`] and [`crate::text::is_terminal_control`]. anketa's own messages hold none of them.
//!
//! **A reader that goes away is not an error.** `anketa merge --json | head -c 400` closes the
//! pipe after 400 bytes; `println!` would then panic. Here a closed standard output (`EPIPE`)
//! silently ends the printing while the command finishes its work and exits with its usual
//! status; any other write error (a full disk behind `> file`) is kept and reported by
//! [`take_stdout_error`] when the command is done, as an error with exit status 1.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::text::is_terminal_control;

/// Set once standard output is found closed: nothing more is written to it.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// The first write error on standard output other than a closed pipe.
static STDOUT_ERROR: Mutex<Option<io::Error>> = Mutex::new(None);

/// `text` with every control character a terminal would act on replaced by its Rust escape
/// (`\r`, `\u{1b}`, `\u{202e}`); newlines and tabs are kept.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_terminal_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A value from a file shown on one line: like [`escape_controls`], and newlines and tabs escaped
/// too, so that a name cannot pass for a line of anketa's own.
pub struct OneLine<'a>(pub &'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if is_terminal_control(c) || c == '\n' || c == '\t' {
                write!(f, "{}", c.escape_default())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// Writes `args` to standard output, escaped; see the module documentation for errors.
pub fn write_out(args: fmt::Arguments<'_>) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let text = args.to_string();
    let written = io::stdout()
        .lock()
        .write_all(escape_controls(&text).as_bytes());
    note_stdout_result(written);
}

/// Writes `args` to standard error, escaped. Errors are ignored: there is nowhere left to say.
pub fn write_err(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let _ = io::stderr()
        .lock()
        .write_all(escape_controls(&text).as_bytes());
}

/// A progress line on standard error that the next one overwrites (`\r` first, no newline).
pub fn err_progress(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    let mut stderr = io::stderr().lock();
    let _ = write!(stderr, "\r{}", escape_controls(&text));
    let _ = stderr.flush();
}

/// Streams a large document (JSON) to standard output with `write`, unescaped: the writer is
/// buffered, and a closed pipe ends it quietly like any other printing.
pub fn out_stream(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut buffered = io::BufWriter::new(io::stdout().lock());
    let written = write(&mut buffered).and_then(|()| buffered.flush());
    note_stdout_result(written);
}

/// Prints `value` as pretty JSON and a newline on standard output (JSON escapes its own text).
pub fn out_json<T: serde::Serialize + ?Sized>(value: &T) {
    out_stream(|out| {
        serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
        writeln!(out)
    });
}

fn note_stdout_result(result: io::Result<()>) {
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
        Err(e) => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            let mut first = STDOUT_ERROR.lock().unwrap_or_else(|p| p.into_inner());
            first.get_or_insert(e);
        }
    }
}

/// The first error writing to standard output other than a closed pipe, if any.
pub fn take_stdout_error() -> Option<io::Error> {
    STDOUT_ERROR
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
}

/// `println!` for the command line: escaped, and quiet when the reader has gone.
macro_rules! outln {
    () => { $crate::cli::output::write_out(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the command line: escaped, and quiet when the reader has gone.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!($($arg)*)) };
}

/// `eprintln!` for the command line: escaped.
macro_rules! errln {
    () => { $crate::cli::output::write_err(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_and_text_kept() {
        assert_eq!(
            escape_controls("skipped \r\x1b[2Kx"),
            "skipped \\r\\u{1b}[2Kx"
        );
        assert_eq!(
            escape_controls("a\u{202e}b\u{9b}c\u{7f}"),
            "a\\u{202e}b\\u{9b}c\\u{7f}"
        );
        let plain = "Борислав Илиев\tСофия\n";
        assert!(matches!(escape_controls(plain), Cow::Borrowed(_)));
        assert_eq!(escape_controls(plain), plain);
    }

    #[test]
    fn one_line_values_escape_newlines_too() {
        assert_eq!(
            OneLine("Ана\nmerged: 0 problems\t\x1b").to_string(),
            "Ана\\nmerged: 0 problems\\t\\u{1b}"
        );
    }
}
