# The Redress application: one image for `redress api`, `redress worker` and `redress migrate`
# (docker-compose.yml runs each as its own service). Configuration and secrets come from the
# environment at run time; nothing secret is copied in (see .dockerignore).

# --- build: install the project and its pinned dependencies into a venv ---------------------
FROM python:3.11.14-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/redress
WORKDIR /src
COPY pyproject.toml ./
COPY activities ./activities
COPY api ./api
COPY core ./core
COPY devserver ./devserver
COPY domain ./domain
COPY notifications ./notifications
COPY redress ./redress
COPY services ./services
COPY store ./store
COPY workflows ./workflows
# A regular (non-editable) install: templates, locales, covenant files and migrations go in
# as package data, so the runtime stage needs the venv only.
RUN /opt/redress/bin/pip install . \
    && /opt/redress/bin/python -m compileall -q /opt/redress/lib

# --- runtime: the venv on a slim base, run as an unprivileged user ---------------------------
FROM python:3.11.14-slim-bookworm AS runtime

ENV PATH=/opt/redress/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REDRESS_DATA_DIR=/var/lib/redress \
    REDRESS_API_HOST=0.0.0.0 \
    REDRESS_API_PORT=8000

# The annual report's PDF embeds DejaVu Sans, with WenQuanYi for Chinese names.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 redress \
    && useradd --system --uid 10001 --gid redress --home-dir /var/lib/redress \
        --shell /usr/sbin/nologin redress \
    && install -d -o redress -g redress -m 0750 /var/lib/redress

COPY --from=build /opt/redress /opt/redress

USER redress
WORKDIR /var/lib/redress
# Uploaded documents live here: mount a volume, shared by the API and the worker.
VOLUME ["/var/lib/redress"]
EXPOSE 8000

ENTRYPOINT ["redress"]
CMD ["api"]
