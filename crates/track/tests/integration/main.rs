//! Integration tests of iadsim-track.
