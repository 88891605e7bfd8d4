//! See docs/psychometrics.md.
