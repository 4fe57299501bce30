//! Threat evaluation and weapon assignment; sees tracks, never truth
