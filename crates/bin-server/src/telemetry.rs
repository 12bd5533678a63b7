//! Logs and traces: a `tracing` subscriber writing JSON or pretty lines to standard
//! output, optionally to daily-rotated files, and optionally exporting spans over OTLP.

use crate::settings::{LogFormat, LoggingSettings, TelemetrySettings};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{BatchSpanProcessor, Sampler, SdkTracerProvider};
use std::time::Duration;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, Registry};

/// Keeps the log writers and the trace exporter alive; call `shutdown` before exit so
/// that buffered lines and spans are flushed.
#[derive(Debug)]
pub struct Telemetry {
    _file_guard: Option<WorkerGuard>,
    provider: Option<SdkTracerProvider>,
}

/// Telemetry could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The log level is not a valid filter.
    #[error("invalid log level {0:?}: {1}")]
    Filter(String, String),
    /// The log directory cannot be used.
    #[error("cannot write logs to {0}: {1}")]
    File(String, String),
    /// The OTLP exporter cannot be built.
    #[error("cannot export traces to {0}: {1}")]
    Otlp(String, String),
}

type BoxedLayer = Box<dyn Layer<Registry> + Send + Sync>;

/// Installs the global subscriber.
pub fn init(logging: &LoggingSettings, telemetry: &TelemetrySettings) -> Result<Telemetry, TelemetryError> {
    let filter =
        EnvFilter::try_new(&logging.level).map_err(|e| TelemetryError::Filter(logging.level.clone(), e.to_string()))?;
    let mut layers: Vec<BoxedLayer> = vec![fmt_layer(logging.format, std::io::stdout)];
    let mut file_guard = None;
    if let Some(dir) = &logging.file_directory {
        let appender = tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("asset-tracker")
            .filename_suffix("log")
            .max_log_files(logging.file_max_files.max(1))
            .build(dir)
            .map_err(|e| TelemetryError::File(dir.clone(), e.to_string()))?;
        let (writer, guard) = tracing_appender::non_blocking(appender);
        layers.push(Box::new(tracing_subscriber::fmt::layer().json().with_ansi(false).with_writer(writer)));
        file_guard = Some(guard);
    }
    // A proxy's `traceparent` continues its trace (read by the web adapter's request span).
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let mut provider = None;
    if let Some(endpoint) = &telemetry.otlp_endpoint {
        let built = tracer_provider(endpoint, telemetry)?;
        let tracer = built.tracer("asset-tracker");
        layers.push(Box::new(tracing_opentelemetry::layer().with_tracer(tracer)));
        provider = Some(built);
    }
    // A second initialisation (tests building several servers) keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(layers.with_filter(filter)).try_init();
    Ok(Telemetry { _file_guard: file_guard, provider })
}

fn fmt_layer<W>(format: LogFormat, writer: W) -> BoxedLayer
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    match format {
        LogFormat::Json => {
            Box::new(tracing_subscriber::fmt::layer().json().with_current_span(true).with_writer(writer))
        }
        LogFormat::Pretty => Box::new(tracing_subscriber::fmt::layer().with_target(false).with_writer(writer)),
    }
}

fn tracer_provider(endpoint: &str, settings: &TelemetrySettings) -> Result<SdkTracerProvider, TelemetryError> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(endpoint)
        .with_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| TelemetryError::Otlp(endpoint.to_owned(), e.to_string()))?;
    let resource = Resource::builder_empty().with_service_name(settings.service_name.clone()).build();
    Ok(SdkTracerProvider::builder()
        .with_span_processor(BatchSpanProcessor::builder(exporter).build())
        .with_sampler(Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(settings.sample_ratio))))
        .with_resource(resource)
        .build())
}

impl Telemetry {
    /// Flushes and stops the trace exporter, waiting at most five seconds.
    pub async fn shutdown(self) {
        if let Some(provider) = self.provider {
            let flush = tokio::task::spawn_blocking(move || provider.shutdown());
            if tokio::time::timeout(Duration::from_secs(5), flush).await.is_err() {
                tracing::warn!("trace exporter did not shut down within 5 s");
            }
        }
    }
}
