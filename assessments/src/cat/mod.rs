//! Computerised adaptive testing (PSYCHOMETRICS.md section 6).
