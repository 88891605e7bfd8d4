//! The server's integration tests, built as one test binary: each file
//! here is one module (`cargo test -p server --test integration waves::`
//! runs one file). One binary links once; thirty linked the whole
//! server thirty times, which cost minutes and gigabytes of disk.
//! `staff.rs` stays a binary of its own: it captures every log line of
//! its process through a global subscriber.

#[macro_use]
mod common;

mod analysis_export;
mod api;
mod api_fuzz;
mod audit_log;
mod backup;
mod calibration;
mod candidate;
mod candidate_list;
mod cleanup;
mod cli;
mod differencing;
mod durability;
mod fairness;
mod feedback;
mod finish;
mod http;
mod irt_live;
mod item_analysis;
mod job_restart;
mod jobs;
mod mail;
mod matrix;
mod org_wall;
mod outbox;
mod norm_builder;
mod proxy;
mod recruit;
mod rights;
mod scale_out;
mod sealed_secrets;
mod second_factor;
mod staff_language;
mod store;
mod templates;
mod technical_report;
mod two_processes;
mod waves;
mod waves_http;
mod webhook_restart;
mod workbench;
mod workforce;
