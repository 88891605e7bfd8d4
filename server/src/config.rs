//! Configuration from flags and environment, validated once at start-up.

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
    str::FromStr,
};

use ipnet::IpNet;

/// The default database: a SQLite file under `./data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/vigil.db";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("DATABASE_URL {shown} is not supported: use sqlite://PATH (e.g. {DEFAULT_DATABASE_URL}) or postgres://USER:PASSWORD@HOST/DB")]
    UnsupportedDatabase { shown: String },
    #[error("DATABASE_URL sqlite:// needs a file path, e.g. {DEFAULT_DATABASE_URL}")]
    MissingSqlitePath,
    #[error("cannot create the data directory {dir}: {reason}. Create it, make it writable, or set DATABASE_URL=sqlite://ANOTHER/PATH/vigil.db")]
    DataDir { dir: String, reason: String },
    #[error("the data directory {dir} is not writable: {reason}. Fix its permissions or set DATABASE_URL=sqlite://ANOTHER/PATH/vigil.db")]
    DataDirNotWritable { dir: String, reason: String },
    #[error("the site directory {dir} has no front-end bundle ({missing} is missing). Build it with `make run` (or scripts/build-frontend.sh), or point --site-root / VIGIL_SITE_ROOT at it")]
    MissingSite { dir: String, missing: String },
    #[error("trusted proxy {shown:?} (--trusted-proxy / VIGIL_TRUSTED_PROXIES) is neither an IP address nor a CIDR range: write e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8")]
    TrustedProxy { shown: String },
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

/// A validated database URL. Its `Display` hides any password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    kind: DatabaseKind,
}

impl DatabaseUrl {
    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    /// The full URL, password included: pass it to the driver, never log it.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// For SQLite, the database file's path.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.kind != DatabaseKind::Sqlite {
            return None;
        }
        let rest = self.raw.strip_prefix("sqlite://").or_else(|| self.raw.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }

    /// Makes sure a SQLite file's directory exists and is writable.
    pub fn prepare_data_dir(&self) -> Result<(), ConfigError> {
        let Some(path) = self.sqlite_path() else { return Ok(()) };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| ConfigError::DataDir {
            dir: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let probe = dir.join(format!(".vigil-write-test-{}", std::process::id()));
        std::fs::write(&probe, b"")
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|e| ConfigError::DataDirNotWritable { dir: dir.display().to_string(), reason: e.to_string() })
    }
}

impl FromStr for DatabaseUrl {
    type Err = ConfigError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        let kind = if raw.starts_with("sqlite:") {
            DatabaseKind::Sqlite
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            DatabaseKind::Postgres
        } else {
            return Err(ConfigError::UnsupportedDatabase { shown: redact(raw) });
        };
        let url = DatabaseUrl { raw: raw.to_string(), kind };
        if kind == DatabaseKind::Sqlite && url.sqlite_path().is_none() && !raw.contains(":memory:") {
            return Err(ConfigError::MissingSqlitePath);
        }
        Ok(url)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.raw))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// Replaces the password of `scheme://user:password@host` with `***`,
/// and drops a `password=` query parameter's value.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let auth_start = scheme_end + 3;
        if let Some(at) = out[auth_start..].find('@').map(|i| i + auth_start) {
            if let Some(colon) = out[auth_start..at].find(':').map(|i| i + auth_start) {
                out.replace_range(colon + 1..at, "***");
            }
        }
    }
    if let Some(p) = out.find("password=") {
        let start = p + "password=".len();
        let end = out[start..].find('&').map_or(out.len(), |i| i + start);
        out.replace_range(start..end, "***");
    }
    out
}

/// The reverse proxies in front of Vigil: only a request that comes from one
/// of them may name its client in `X-Forwarded-For` (see
/// `crate::http::client`). Empty (the default) trusts nobody.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(ranges: Vec<IpNet>) -> TrustedProxies {
        TrustedProxies(ranges)
    }

    /// True when `ip` is one of the proxies (an IPv4-mapped IPv6 address
    /// counts as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|range| range.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One trusted proxy: an address (`10.0.0.5`, `::1`) or a CIDR range
/// (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, ConfigError> {
    let text = text.trim();
    text.parse::<IpNet>()
        .map(|range| range.trunc())
        .or_else(|_| text.parse::<IpAddr>().map(|ip| IpNet::from(ip.to_canonical())))
        .map_err(|_| ConfigError::TrustedProxy { shown: text.chars().take(100).collect() })
}

/// Everything `vigil serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub database_url: DatabaseUrl,
    pub listen: SocketAddr,
    /// Folder holding `pkg/vigil.js`, `pkg/vigil_bg.wasm`, `pkg/vigil.css`.
    pub site_root: PathBuf,
    /// Seed the demo organisation when the database has no organisation yet.
    pub demo: bool,
    /// Where the demo credentials are written (next to the SQLite file by default).
    pub demo_credentials_file: Option<PathBuf>,
}

impl ServeConfig {
    /// Checks that the front-end bundle is where the server will look for it.
    pub fn check_site(&self) -> Result<(), ConfigError> {
        for file in ["pkg/vigil.js", "pkg/vigil_bg.wasm", "pkg/vigil.css"] {
            if !self.site_root.join(file).is_file() {
                return Err(ConfigError::MissingSite {
                    dir: self.site_root.display().to_string(),
                    missing: file.to_string(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_the_password_only() {
        assert_eq!(redact("postgres://vigil:s3cret@db.local:5432/vigil"), "postgres://vigil:***@db.local:5432/vigil");
        assert_eq!(redact("postgres://vigil@db/vigil"), "postgres://vigil@db/vigil");
        assert_eq!(redact("postgres://db/vigil?user=v&password=x&sslmode=require"), "postgres://db/vigil?user=v&password=***&sslmode=require");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let proxies = TrustedProxies::new(
            ["10.0.0.0/8", "192.0.2.7", "fd00::/8", "2001:db8::1"].iter().map(|p| parse_trusted_proxy(p).expect("valid")).collect(),
        );
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        assert!(proxies.contains(ip("10.1.2.3")));
        assert!(proxies.contains(ip("192.0.2.7")));
        assert!(!proxies.contains(ip("192.0.2.8")), "a single address is a /32");
        assert!(proxies.contains(ip("fd12::5")));
        assert!(proxies.contains(ip("2001:db8::1")));
        assert!(!proxies.contains(ip("2001:db8::2")));
        assert!(proxies.contains(ip("::ffff:10.9.9.9")), "IPv4-mapped IPv6 is the IPv4 address");
        assert!(!TrustedProxies::default().contains(ip("127.0.0.1")), "nobody is trusted by default");
    }

    #[test]
    fn a_bad_trusted_proxy_is_refused_clearly() {
        for bad in ["", "proxy.example", "10.0.0.0/33", "10.0.0.1:80", "unknown"] {
            let err = parse_trusted_proxy(bad).expect_err(bad).to_string();
            assert!(err.contains("neither an IP address nor a CIDR range"), "{err}");
        }
        assert_eq!(parse_trusted_proxy(" 10.1.2.3/8 ").expect("trimmed, host bits dropped").to_string(), "10.0.0.0/8");
    }

    #[test]
    fn database_urls_are_recognised_or_refused_clearly() {
        let sqlite: DatabaseUrl = "sqlite://data/vigil.db".parse().expect("sqlite url");
        assert_eq!(sqlite.kind(), DatabaseKind::Sqlite);
        assert_eq!(sqlite.sqlite_path(), Some(PathBuf::from("data/vigil.db")));
        let pg: DatabaseUrl = "postgres://u:pw@h/db".parse().expect("pg url");
        assert_eq!(pg.kind(), DatabaseKind::Postgres);
        assert_eq!(pg.to_string(), "postgres://u:***@h/db");
        let err = "mysql://root:hunter2@h/db".parse::<DatabaseUrl>().unwrap_err().to_string();
        assert!(err.contains("not supported") && !err.contains("hunter2"), "{err}");
        assert!("sqlite://".parse::<DatabaseUrl>().is_err());
    }
}
