//! `balance`: a round-robin HTTP load balancer for tests, on loopback.
//!
//! It stands in for the load balancer in front of several `vigil serve`
//! processes: each request (not each connection: browsers keep connections
//! open) goes to the next backend in turn, so one candidate's page views,
//! saves and finish land on different processes. The request is passed on
//! as it came, `Host` included, with the client's address appended to
//! `X-Forwarded-For` (start the servers with `--trusted-proxy 127.0.0.1`,
//! as behind a real proxy). Bodies stream both ways. A backend that cannot
//! be reached is answered 502 and the request is not retried elsewhere: a
//! balancer that retried a save could hide a lost answer from the tests.
//!
//! On SIGTERM or Ctrl-C it prints how many requests each backend was given,
//! one line per backend (`127.0.0.1:4001 requests=123`), and exits 0.
//!
//!     cargo run -p server --example balance -- --listen 127.0.0.1:4000 --backend 127.0.0.1:4001 --backend 127.0.0.1:4002

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc,
    },
};

use clap::Parser;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::{
    body::{Bytes, Incoming},
    header::{HeaderValue, HOST},
    server::conn::http1,
    service::service_fn,
    Request, Response, StatusCode, Uri,
};
use hyper_util::{
    client::legacy::{connect::HttpConnector, Client},
    rt::{TokioExecutor, TokioIo},
};

#[derive(Parser)]
#[command(name = "balance", about = "Round-robin HTTP load balancer over loopback backends (for tests)")]
struct Cli {
    /// Where to listen (a loopback address).
    #[arg(long)]
    listen: SocketAddr,
    /// A backend, host:port on loopback; repeat for each.
    #[arg(long = "backend", required = true)]
    backends: Vec<SocketAddr>,
}

type Body = BoxBody<Bytes, hyper::Error>;

struct Balancer {
    backends: Vec<SocketAddr>,
    next: AtomicUsize,
    given: Vec<AtomicU64>,
    client: Client<HttpConnector, Incoming>,
}

impl Balancer {
    /// The backend for the next request, in turn.
    fn pick(&self) -> usize {
        self.next.fetch_add(1, Ordering::Relaxed) % self.backends.len()
    }

    async fn forward(&self, peer: SocketAddr, mut req: Request<Incoming>) -> Response<Body> {
        let n = self.pick();
        self.given[n].fetch_add(1, Ordering::Relaxed);
        let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
        let Ok(uri) = format!("http://{}{path}", self.backends[n]).parse::<Uri>() else {
            return plain(StatusCode::BAD_REQUEST, "unusable request target");
        };
        // The client's Host stays (the servers check Origin against it); an
        // HTTP/1.0 request without one is given the backend's.
        if !req.headers().contains_key(HOST) {
            if let Ok(host) = HeaderValue::from_str(&self.backends[n].to_string()) {
                req.headers_mut().insert(HOST, host);
            }
        }
        let forwarded = match req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            Some(before) => format!("{before}, {}", peer.ip()),
            None => peer.ip().to_string(),
        };
        if let Ok(value) = HeaderValue::from_str(&forwarded) {
            req.headers_mut().insert("x-forwarded-for", value);
        }
        *req.uri_mut() = uri;
        match self.client.request(req).await {
            Ok(response) => response.map(|b| b.boxed()),
            Err(e) => plain(StatusCode::BAD_GATEWAY, &format!("backend {} did not answer: {e}", self.backends[n])),
        }
    }
}

fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let body = Full::new(Bytes::from(text.to_string())).map_err(|never| match never {}).boxed();
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    for addr in std::iter::once(&cli.listen).chain(&cli.backends) {
        if !addr.ip().is_loopback() {
            eprintln!("balance: {addr} is not a loopback address; this balancer is for tests on one machine");
            std::process::exit(2);
        }
    }
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("balance: cannot listen on {}: {e}", cli.listen);
            std::process::exit(1);
        }
    };
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let balancer = Arc::new(Balancer {
        given: cli.backends.iter().map(|_| AtomicU64::new(0)).collect(),
        backends: cli.backends,
        next: AtomicUsize::new(0),
        client: Client::builder(TokioExecutor::new()).pool_max_idle_per_host(256).build(connector),
    });
    eprintln!("balance: listening on http://{}", cli.listen);
    let accept = {
        let balancer = Arc::clone(&balancer);
        async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else { continue };
                let _ = stream.set_nodelay(true);
                let balancer = Arc::clone(&balancer);
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let balancer = Arc::clone(&balancer);
                        async move { Ok::<_, std::convert::Infallible>(balancer.forward(peer, req).await) }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        }
    };
    tokio::select! {
        _ = accept => {}
        _ = stopped() => {}
    }
    for (backend, given) in balancer.backends.iter().zip(&balancer.given) {
        println!("{backend} requests={}", given.load(Ordering::Relaxed));
    }
}

/// SIGTERM or Ctrl-C.
async fn stopped() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
