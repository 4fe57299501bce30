//! The event log recorder: every event, in order (`events.jsonl`).
use super::Recorder;
use crate::events::Event;

/// Keeps every event of the run, in the order they happened.
#[derive(Debug, Default, Clone)]
pub struct EventLog {
    events: Vec<Event>,
}

impl EventLog {
    /// The events so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events, taken out.
    pub fn into_events(self) -> Vec<Event> {
        self.events
    }

    /// The log as JSON lines, as in `events.jsonl`.
    pub fn to_jsonl(events: &[Event]) -> String {
        let mut out = String::new();
        for e in events {
            out.push_str(&serde_json::to_string(e).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}

impl Recorder for EventLog {
    fn event(&mut self, event: &Event) {
        self.events.push(event.clone());
    }
}
