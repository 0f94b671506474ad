//! Bounded output capture: the first and last bytes are kept, the middle is counted.

use std::collections::VecDeque;

/// Keeps at most `limit` bytes of a stream of any length: the first half verbatim, then a
/// sliding window over the most recent bytes.
#[derive(Debug)]
pub(crate) struct HeadTail {
    head: Vec<u8>,
    head_cap: usize,
    tail: VecDeque<u8>,
    tail_cap: usize,
    dropped: u64,
}

impl HeadTail {
    pub(crate) fn new(limit: usize) -> Self {
        let head_cap = limit / 2;
        let tail_cap = limit - head_cap;
        Self {
            head: Vec::with_capacity(head_cap.min(64 * 1024)),
            head_cap,
            tail: VecDeque::new(),
            tail_cap,
            dropped: 0,
        }
    }

    pub(crate) fn push(&mut self, mut data: &[u8]) {
        let room = self.head_cap - self.head.len();
        if room > 0 {
            let take = room.min(data.len());
            self.head.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        if data.is_empty() {
            return;
        }
        if data.len() >= self.tail_cap {
            self.dropped += (self.tail.len() + data.len() - self.tail_cap) as u64;
            self.tail.clear();
            self.tail.extend(&data[data.len() - self.tail_cap..]);
        } else {
            let overflow = (self.tail.len() + data.len()).saturating_sub(self.tail_cap);
            self.tail.drain(..overflow);
            self.dropped += overflow as u64;
            self.tail.extend(data);
        }
    }

    /// Renders what was kept and resets the buffer, returning the text and the bytes dropped.
    pub(crate) fn take(&mut self) -> (String, u64) {
        let mut head = std::mem::take(&mut self.head);
        let tail: Vec<u8> = std::mem::take(&mut self.tail).into();
        let mut dropped = std::mem::take(&mut self.dropped);
        if dropped == 0 {
            head.extend_from_slice(&tail);
            return (lossy(head), 0);
        }
        // Cut on character boundaries so the marker does not sit between replacement chars.
        let head_keep = complete_utf8_prefix(&head);
        let tail_skip = tail.iter().take(3).take_while(|b| is_continuation(**b)).count();
        dropped += (head.len() - head_keep + tail_skip) as u64;
        head.truncate(head_keep);
        let mut text = lossy(head);
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("[... {dropped} bytes of output omitted ...]\n"));
        text.push_str(&String::from_utf8_lossy(&tail[tail_skip..]));
        (text, dropped)
    }
}

fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Length of `bytes` without a multi-byte character cut off at its end.
fn complete_utf8_prefix(bytes: &[u8]) -> usize {
    let n = bytes.len();
    for back in 1..=n.min(4) {
        let b = bytes[n - back];
        if is_continuation(b) {
            continue;
        }
        let width = match b {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return n,
        };
        return if width > back { n - back } else { n };
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_everything_under_the_limit() {
        let mut c = HeadTail::new(10);
        c.push(b"hello");
        c.push(b"!");
        assert_eq!(c.take(), ("hello!".to_owned(), 0));
        assert_eq!(c.take(), (String::new(), 0));
    }

    #[test]
    fn keeps_head_and_tail_and_counts_the_middle() {
        let mut c = HeadTail::new(8);
        for chunk in [&b"abcdef"[..], b"ghij", b"klmnop"] {
            c.push(chunk);
        }
        let (text, dropped) = c.take();
        assert_eq!(dropped, 8);
        assert_eq!(text, "abcd\n[... 8 bytes of output omitted ...]\nmnop");
    }

    #[test]
    fn cuts_on_char_boundaries() {
        let mut c = HeadTail::new(6);
        c.push("aaé".as_bytes()); // 4 bytes: head keeps "aa" + first byte of é
        c.push("xxxxxxé".as_bytes());
        let (text, dropped) = c.take();
        assert_eq!(text, "aa\n[... 7 bytes of output omitted ...]\nxé");
        assert_eq!(dropped, 7);
    }

    #[test]
    fn incomplete_suffix_detection() {
        assert_eq!(complete_utf8_prefix(b"ab"), 2);
        assert_eq!(complete_utf8_prefix(&"aé".as_bytes()[..2]), 1);
        assert_eq!(complete_utf8_prefix("aé".as_bytes()), 3);
        assert_eq!(complete_utf8_prefix(&"a€".as_bytes()[..3]), 1);
    }
}
