"""Lesson packs: uploads checked by content, stored under server names, downloaded only by those entitled."""

import hashlib
import html
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from portal.clock import now
from portal.domain import active_content
from portal.domain.form_tokens import new_token
from portal.extensions import db
from portal.models import LessonPack, LessonPackFile, PerformanceStatus, Role
from portal.services import lessons
from portal.services.lessons import LessonDetails, LessonError
from tests import files
from tests.factories import make_performance, make_request, make_school, make_user
from tests.integration.pages import csrf_token, location_path, post_form

PDF = files.clean_pdf()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(client, pack_id: int, name: str, data: bytes):
    return client.post(
        f"/packs/{pack_id}",
        data={"csrf_token": csrf_token(client), "form_token": new_token(now()), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def pack_world(session, login_as):
    request_ = make_request(year_groups={9: 60})
    company = login_as(Role.COMPANY)
    response = post_form(
        company,
        "/packs/new",
        {
            "production": str(request_.production_id),
            "year_group": "9",
            "title": "Spotting grooming",
            "summary": "Two lessons",
        },
    )
    assert response.status_code == 302
    pack_id = int(location_path(response).rsplit("/", 1)[1])
    return request_, company, pack_id


def test_a_pdf_and_a_docx_are_accepted_and_stored_under_server_names(pack_world):
    _request, company, pack_id = pack_world
    assert upload(company, pack_id, "lesson one.pdf", PDF).status_code == 302
    assert upload(company, pack_id, "worksheet.docx", docx_bytes()).status_code == 302
    files = db.session.query(LessonPackFile).filter_by(pack_id=pack_id).order_by(LessonPackFile.id).all()
    assert [f.original_name for f in files] == ["lesson_one.pdf", "worksheet.docx"]
    assert all(f.stored_name != f.original_name and "/" not in f.stored_name for f in files)
    assert files[0].sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("evil.pdf", b"MZ\x90\x00 not a pdf", "must be a PDF, Word (.docx) or PowerPoint (.pptx) file"),
        ("notes.docx", PDF, "is a PDF file"),
        ("empty.pdf", b"", "empty"),
        ("zip.docx", b"PK\x03\x04garbage", "must be a PDF"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(pack_world, name, data, message):
    _request, company, pack_id = pack_world
    response = upload(company, pack_id, name, data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.query(LessonPackFile).filter_by(pack_id=pack_id).count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("lesson.pdf", files.pdf_with(files.open_action_javascript), "The selected PDF contains JavaScript"),
        ("lesson.pdf", files.pdf_with(files.page_additional_action_javascript), "The selected PDF contains JavaScript"),
        ("lesson.pdf", files.pdf_with(files.document_javascript_names), "The selected PDF contains JavaScript"),
        ("lesson.pdf", files.pdf_with(files.launch_action), "an action that starts another program"),
        ("lesson.pdf", files.pdf_with(files.embedded_file), "The selected PDF contains embedded files"),
        ("lesson.pdf", files.html_polyglot(), active_content.PDF_WITH_HTML),
        ("lesson.pdf", b"%PDF-1.7\n" + b"x" * 2000, active_content.NOT_A_PDF),
        ("worksheet.docx", files.docx_with_macros(), active_content.MACROS),
        ("worksheet.docx", files.docm_named_docx(), active_content.MACROS),
        ("slides.pptx", files.pptx_with_macros(), active_content.MACROS),
        ("register.xlsm", files.xlsm(), active_content.MACROS),
        ("worksheet.docx", files.docx_with_activex(), active_content.ACTIVEX),
    ],
)
def test_a_file_with_active_content_is_refused_in_the_error_summary_and_nothing_is_stored(
    pack_world, app, name, data, message
):
    _request, company, pack_id = pack_world
    stored = Path(app.config["PORTAL_INSTANCE"]) / "lesson-packs"
    before = set(stored.iterdir()) if stored.exists() else set()
    response = upload(company, pack_id, name, data)
    assert response.status_code == 200
    summary = response.get_data(as_text=True).split('class="govuk-error-summary', 1)
    assert len(summary) == 2, "no error summary"
    assert html.escape(message, quote=False) in summary[1]
    assert db.session.query(LessonPackFile).filter_by(pack_id=pack_id).count() == 0
    assert (set(stored.iterdir()) if stored.exists() else set()) == before


def test_a_body_over_twenty_megabytes_is_refused_with_413(pack_world):
    _request, company, pack_id = pack_world
    body = b"--x\r\n" + b"0" * (22 * 1024 * 1024)
    response = company.post(f"/packs/{pack_id}", data=body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413


def test_a_school_downloads_a_pack_only_once_it_has_a_confirmed_performance(pack_world, login_as):
    request_, company, pack_id = pack_world
    upload(company, pack_id, "lesson.pdf", PDF)
    file_id = db.session.query(LessonPackFile).filter_by(pack_id=pack_id).one().id
    staff = login_as(make_user(Role.SCHOOL, school=request_.school))
    assert staff.get(f"/school/packs/files/{file_id}").status_code == 404
    make_performance(request_, status=PerformanceStatus.CONFIRMED)
    with staff.get(f"/school/packs/files/{file_id}") as download:
        assert download.status_code == 200
        assert hashlib.sha256(download.data).hexdigest() == hashlib.sha256(PDF).hexdigest()
        assert "attachment" in download.headers["Content-Disposition"]
    other = login_as(make_user(Role.SCHOOL, school=make_school()))
    assert other.get(f"/school/packs/files/{file_id}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/school/packs/files/..%2f..%2fportal.db",
        "/school/packs/files/../../etc/passwd",
        "/packs/files/%2e%2e%2fsecret",
        "/packs/files/1%00",
        "/school/packs/files/-1",
        "/packs/files/99999999999",
    ],
)
def test_no_path_in_a_url_reaches_another_file(pack_world, login_as, path):
    request_, company, _pack_id = pack_world
    staff = login_as(make_user(Role.SCHOOL, school=request_.school))
    for client in (company, staff):
        assert client.get(path).status_code in (400, 404)


def delivered(request_):
    performance = make_performance(request_, status=PerformanceStatus.DELIVERED, pupils_attended=55)
    from portal.models import PerformanceAttendance

    performance.attendance = [PerformanceAttendance(year_group=9, pupils=55)]
    db.session.flush()
    return performance


def test_a_lesson_cannot_be_dated_before_the_performance(session):
    performance = delivered(make_request(year_groups={9: 60}))
    user = make_user(Role.SCHOOL, school=performance.school)
    details = LessonDetails(performance.day - timedelta(days=1), 9, 30, None, "")
    with pytest.raises(LessonError, match="on or after the performance"):
        lessons.record_lesson(user, performance, details, performance.day + timedelta(days=30))


def test_more_pupils_than_attended_needs_a_reason(session):
    performance = delivered(make_request(year_groups={9: 60}))
    user = make_user(Role.SCHOOL, school=performance.school)
    later = performance.day + timedelta(days=7)
    with pytest.raises(LessonError, match="say why"):
        lessons.record_lesson(user, performance, LessonDetails(later, 9, 70, None, ""), later)
    lesson = lessons.record_lesson(user, performance, LessonDetails(later, 9, 70, None, "A class joined"), later)
    assert lesson.pupils == 70


def test_questionnaire_counts_cannot_exceed_those_who_answered(session):
    performance = delivered(make_request(year_groups={9: 60}))
    user = make_user(Role.SCHOOL, school=performance.school)
    counts = dict(
        respondents=40, confident_before=10, confident_after=41, know_help_before=5, know_help_after=30, staff_rating=5
    )
    with pytest.raises(LessonError):
        lessons.save_evaluation(user, performance, counts)
    counts["confident_after"] = 35
    assert lessons.save_evaluation(user, performance, counts).confident_after == 35


def test_a_pack_is_tied_to_a_production_and_year_group(pack_world):
    _request, _company, pack_id = pack_world
    pack = db.session.get(LessonPack, pack_id)
    assert pack.year_group == 9
    assert pack.title == "Spotting grooming"
