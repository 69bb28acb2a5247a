"""Editors' side of online service forms: snippet admin, drafts from a procedure, validation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from services.models import OnlineServiceForm
from tests.services.dossier_builders import online_procedure, publish_form, receiving_agency


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("bien-tap", "bt@example.vn", "mat-khau-thu-nghiem")


@pytest.mark.django_db
def test_draft_forms_created_from_a_procedure_are_not_live_until_published(client, editor, catalogue):
    procedure = online_procedure(catalogue)
    client.force_login(editor)
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[procedure.pk])).content.decode()
    url = reverse("services_online_form_from_procedure", args=[procedure.pk])
    assert url in edit_page

    response = client.post(url)
    form = OnlineServiceForm.objects.get(procedure=procedure)
    assert response["Location"] == reverse("wagtailsnippets_services_onlineserviceform:edit", args=[form.pk])
    assert form.live is False
    # The builder's case has one component ("Giấy tờ số 1"): one upload slot, then the declaration.
    assert [child.block_type for child in form.fields] == ["file", "checkbox"]
    assert form.fields[0].value["label"] == "Giấy tờ số 1"
    assert client.get(f"{procedure.url}nop-ho-so/").status_code == 404  # C14: a draft serves nobody
    assert client.get(response["Location"]).status_code == 200

    form.save_revision(user=editor).publish()
    assert client.get(f"{procedure.url}nop-ho-so/").status_code == 200
    # A second visit has nothing left to create.
    assert client.post(url).status_code == 200
    assert OnlineServiceForm.objects.filter(procedure=procedure).count() == 1


@pytest.mark.django_db
def test_snippet_index_and_publish_through_the_admin(client, editor, catalogue):
    procedure = online_procedure(catalogue)
    form = publish_form(procedure)
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_services_onlineserviceform:list"))
    assert listing.status_code == 200
    assert form.title in listing.content.decode()


@pytest.mark.django_db
def test_form_for_a_case_the_procedure_does_not_have_is_refused(catalogue):
    procedure = online_procedure(catalogue)
    form = OnlineServiceForm(procedure=procedure, title="Biểu mẫu", case_title="Trường hợp không có")
    with pytest.raises(ValidationError) as error:
        form.full_clean()
    assert "case_title" in error.value.message_dict


@pytest.mark.django_db
def test_receiving_agency_without_identifier_is_refused(catalogue):
    procedure = online_procedure(catalogue)
    form = OnlineServiceForm(procedure=procedure, title="Biểu mẫu", receiving_agency=receiving_agency("", "Cơ quan X"))
    with pytest.raises(ValidationError) as error:
        form.full_clean()
    assert "mã định danh" in error.value.message_dict["receiving_agency"][0]
