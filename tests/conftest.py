import pytest
from django.conf import settings

from accounts.models import Role
from tests.celery_worker import WorkerProcess, publishing_to
from tests.factories import OrganisationFactory, UserFactory
from tests.services import broker_url, require_broker, using_postgres


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    engine = "PostgreSQL" if using_postgres() else "SQLite"
    broker = broker_url() or "none (tests needing a worker are skipped, or fail when CI=true)"
    return [f"database: {engine} ({db.get('HOST') or db['NAME']})", f"celery broker: {broker}"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached fragments (the queue's filter form) list one test's organisations and
    warning signs: each test starts without them."""
    from django.core.cache import cache

    cache.clear()


# --- Reference data -------------------------------------------------------------

_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def reference_data(request):
    """Roles and the first catalogue come from data migrations; a transactional test
    empties every table afterwards, so put them back before each test that uses the
    database (idempotent: two queries when they are already there)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not (marker or names & _DB_FIXTURES):
        return
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.contrib.auth.models import Group

    from indicators.catalogue_seed import ensure_first_catalogue
    from indicators.models import CatalogueVersion, Indicator

    if Group.objects.filter(name__in=Role.values).count() < len(Role.values):
        for role in Role.values:
            Group.objects.get_or_create(name=role)
    ensure_first_catalogue(CatalogueVersion, Indicator)


# --- Personas (house style: named people, one per role) -------------------------


@pytest.fixture
def school(db):
    return OrganisationFactory(name="Testshire High School", kind="school")


@pytest.fixture
def youth_service(db):
    return OrganisationFactory(name="Testshire Youth Service", kind="youth_service")


@pytest.fixture
def social_care(db):
    return OrganisationFactory(name="Testshire Social Care", kind="social_care")


@pytest.fixture
def practitioner(school):
    return UserFactory(
        email="pat.teacher@example.org",
        full_name="Pat Testteacher",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )


@pytest.fixture
def colleague(school):
    """Same role, same organisation as `practitioner`."""
    return UserFactory(
        email="sam.colleague@example.org",
        full_name="Sam Testcolleague",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )


@pytest.fixture
def other_practitioner(youth_service):
    """Same role, another organisation."""
    return UserFactory(
        email="olly.youth@example.org",
        full_name="Olly Testyouth",
        organisation=youth_service,
        roles=[Role.PRACTITIONER],
    )


@pytest.fixture
def triager(social_care):
    return UserFactory(
        email="tara.triage@example.org",
        full_name="Tara Testtriage",
        organisation=social_care,
        roles=[Role.TRIAGE],
    )


@pytest.fixture
def other_triager(social_care):
    return UserFactory(
        email="tom.triage@example.org",
        full_name="Tom Testtriage",
        organisation=social_care,
        roles=[Role.TRIAGE],
    )


@pytest.fixture
def manager(social_care):
    return UserFactory(
        email="morgan.manager@example.org",
        full_name="Morgan Testmanager",
        organisation=social_care,
        roles=[Role.MANAGER],
    )


@pytest.fixture
def admin(social_care):
    return UserFactory(
        email="alex.admin@example.org",
        full_name="Alex Testadmin",
        organisation=social_care,
        roles=[Role.ADMINISTRATOR],
        is_staff=True,
    )


# h19b: a partner agency's user (Partner role): sees only requests to their agency.
@pytest.fixture
def police(db):
    return OrganisationFactory(name="Testshire Police", kind="police")


@pytest.fixture
def partner(police):
    return UserFactory(
        email="pia.police@example.org",
        full_name="Pia Testpolice",
        organisation=police,
        roles=[Role.PARTNER],
    )


# --- Real services --------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """One worker process for the session, on the test database and the real broker."""
    require_broker()
    worker = WorkerProcess().start()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """Tasks queued in the test go through Redis to the worker; rows are committed
    (transactional_db) so that the worker's own connection sees them."""
    with publishing_to(celery_worker_process.queue):
        yield celery_worker_process


# --- Worker tests: committed rows, and what a flush takes away --------------------


@pytest.fixture
def _migration_data_restored(django_db_blocker):
    """Set up before (so torn down after) a transactional test's flush: later tests
    still find the catalogue, role groups, permissions and content types that the
    migrations wrote. Ask for it before django_db_serialized_rollback."""
    from tests.factories.exports import restore_migration_data

    yield
    with django_db_blocker.unblock():
        restore_migration_data()


@pytest.fixture
def sink():
    """A real SMTP server on 127.0.0.1 (tests/smtp_sink.py) that a worker sends to."""
    from tests.smtp_sink import SmtpSink

    server = SmtpSink().start()
    yield server
    server.stop()
