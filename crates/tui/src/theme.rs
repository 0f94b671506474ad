//! The interface's styles by role, in colour or — when `NO_COLOR` is set — with text
//! attributes only (bold, italic, underline, reverse), so nothing relies on colour alone.

use ratatui::style::{Color, Modifier, Style};

/// Styles for every role the interface draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// A theme with colours.
    pub const COLOR: Theme = Theme { color: true };
    /// A theme without colours (`NO_COLOR`).
    pub const PLAIN: Theme = Theme { color: false };

    /// The theme the environment asks for: plain when `NO_COLOR` is set to anything non-empty
    /// (see no-color.org), coloured otherwise.
    pub fn from_no_color(no_color: Option<&str>) -> Theme {
        match no_color {
            Some(value) if !value.is_empty() => Theme::PLAIN,
            _ => Theme::COLOR,
        }
    }

    /// Whether colours (and syntax highlighting) are used.
    pub fn has_color(self) -> bool {
        self.color
    }

    fn pick(self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    /// Ordinary text.
    pub fn text(self) -> Style {
        Style::default()
    }

    /// Secondary text: hints, durations, collapsed output.
    pub fn dim(self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    /// What the user typed, in the conversation.
    pub fn user(self) -> Style {
        self.pick(Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD), bold())
    }

    /// Names and markers that should catch the eye (tool names, the prompt marker).
    pub fn accent(self) -> Style {
        self.pick(Style::default().fg(Color::Magenta).add_modifier(Modifier::BOLD), bold())
    }

    /// Markdown headings.
    pub fn heading(self) -> Style {
        self.pick(
            Style::default().fg(Color::Blue).add_modifier(Modifier::BOLD),
            bold().add_modifier(Modifier::UNDERLINED),
        )
    }

    /// Inline code and code blocks without highlighting.
    pub fn code(self) -> Style {
        self.pick(Style::default().fg(Color::Yellow), Style::default())
    }

    /// Links.
    pub fn link(self) -> Style {
        self.pick(
            Style::default().fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            Style::default().add_modifier(Modifier::UNDERLINED),
        )
    }

    /// Quotes and reasoning text.
    pub fn quote(self) -> Style {
        Style::default().add_modifier(Modifier::ITALIC)
    }

    /// Added lines of a diff.
    pub fn added(self) -> Style {
        self.pick(Style::default().fg(Color::Green), Style::default())
    }

    /// Removed lines of a diff.
    pub fn removed(self) -> Style {
        self.pick(Style::default().fg(Color::Red), Style::default().add_modifier(Modifier::DIM))
    }

    /// The `+`/`-` gutter of a diff line; in plain mode the sign alone carries the meaning.
    pub fn diff_sign(self, added: bool) -> Style {
        if added { self.added().add_modifier(Modifier::BOLD) } else { self.removed() }
    }

    /// Success marks.
    pub fn success(self) -> Style {
        self.pick(Style::default().fg(Color::Green), Style::default())
    }

    /// Warnings.
    pub fn warning(self) -> Style {
        self.pick(Style::default().fg(Color::Yellow), bold())
    }

    /// Errors and failed tool calls.
    pub fn error(self) -> Style {
        self.pick(Style::default().fg(Color::Red).add_modifier(Modifier::BOLD), bold())
    }

    /// The selected row of a list or menu.
    pub fn selected(self) -> Style {
        self.pick(
            Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::REVERSED),
        )
    }

    /// Borders of panels and prompts.
    pub fn border(self) -> Style {
        self.pick(Style::default().fg(Color::DarkGray), Style::default())
    }

    /// The status line.
    pub fn status(self) -> Style {
        self.pick(Style::default().fg(Color::Gray), Style::default())
    }
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

#[cfg(test)]
mod tests {
    use super::Theme;

    #[test]
    fn no_color_set_to_anything_turns_colours_off() {
        assert_eq!(Theme::from_no_color(None), Theme::COLOR);
        assert_eq!(Theme::from_no_color(Some("")), Theme::COLOR);
        assert_eq!(Theme::from_no_color(Some("1")), Theme::PLAIN);
    }
}
