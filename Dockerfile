# The dl-grader service image: the API (under gunicorn) and the grading workers
# (`grader worker`). Candidate code never runs in this image: it runs in the sandbox image,
# dl-grader-sandbox:cpu or :gpu, built from sandbox/image/ (see docs/deployment.md).
#
#   docker build -t dl-grader:latest .
#
# torch is a dependency of the grader itself (the reference side computes expected
# outputs with it); this image takes its CPU build, from PyTorch's CPU index.
#
# BASE_IMAGE: any Debian bookworm with Python 3.11 as `python3`. With no registry,
# deploy/build-images.sh makes one from a Debian root filesystem (deploy/debian-base.sh) that
# already holds /opt/venv with every dependency and sets PIP_NO_INDEX: the pip steps below
# then find everything installed and download nothing.
ARG BASE_IMAGE=python:3.11-slim-bookworm
FROM ${BASE_IMAGE}

ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ARG TORCH_VERSION=2.13.0

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

# torch first, in a layer of its own: the largest download, and the one that changes least.
# It must match the pin in pyproject.toml, or the next step replaces it.
RUN { [ -x /opt/venv/bin/python ] || python3 -m venv /opt/venv; } \
 && pip install --extra-index-url "$TORCH_INDEX" "torch==$TORCH_VERSION"

# The grader, installed as a package (not editable), and gunicorn. Only what the package
# needs is copied in; the build folder is removed afterwards.
WORKDIR /build
COPY pyproject.toml README.md ./
COPY grader ./grader
COPY sandbox ./sandbox
COPY submissions_schema ./submissions_schema
RUN pip install --extra-index-url "$TORCH_INDEX" . "gunicorn>=23" \
 && cd / && rm -rf /build

# The question bank (questions, hidden cases, references), read-only for the service user.
# GRADER_TASKS_DIR must name it: the default is the tasks/ of a source checkout.
COPY tasks /app/tasks

# An unprivileged user for every process of this image. The folders below are created
# here, owned by it, so that fresh named volumes mounted on them inherit that ownership.
RUN groupadd --gid 10000 grader \
 && useradd --uid 10000 --gid grader --home-dir /var/lib/grader --no-create-home \
      --shell /usr/sbin/nologin grader \
 && mkdir -p /var/lib/grader/data /var/cache/grader \
 && chown -R grader:grader /var/lib/grader /var/cache/grader

ENV GRADER_TASKS_DIR=/app/tasks \
    GRADER_DATA_DIR=/var/lib/grader/data \
    GRADER_CACHE_DIR=/var/cache/grader \
    HOME=/var/lib/grader

WORKDIR /app
USER grader:grader
EXPOSE 8000

# /healthz: the process answers (no database, broker or sandbox involved). slim has no
# curl, so Python asks; urlopen raises on anything but a 2xx. Worker containers run no
# HTTP server and turn this off (docker-compose.yml: `healthcheck: disable: true`).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# The API. create_app() with no arguments reads the GRADER_* environment and runs the
# database migrations. Threads (gthread): `GET /v1/submissions/{id}?wait=` holds a request
# up to GRADER_MAX_WAIT_S (60 s), which must neither block a whole worker process nor
# outlast --timeout.
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "--threads", "8", "--timeout", "120", \
     "--access-logfile", "-", "grader.api:create_app()"]
