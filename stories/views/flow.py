"""Writing and reviewing stories: submit → review (changes requested, or published) → withdrawn."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from involvement import access as involvement_access
from involvement.access import Role
from projects.paging import paginate
from stories import access, services
from stories.forms import (
    ConsentForm,
    NamedPersonForm,
    RequestChangesForm,
    SimpleStoryForm,
    StoryForm,
    WithdrawForm,
)
from stories.models import Story, StoryStatus

STAFF_ROLES = (Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR)
PER_PAGE = 10  # stories show as cards, ten a page as in the library


def _form_class(user) -> type[StoryForm]:
    """Staff get the full form; service users and carers the short one."""
    return StoryForm if involvement_access.has_role(user, *STAFF_ROLES) else SimpleStoryForm


def _story_fields(form: StoryForm) -> dict:
    data = form.cleaned_data
    fields = {
        "title": data["title"],
        "body": data["body"],
        "easy_read_summary": data["easy_read_summary"],
        "directorate": data["directorate"],
    }
    if "summary" in form.fields:
        fields["summary"] = data["summary"]
    if "project" in form.fields:
        fields["project"] = data["project"]
    return fields


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _story_or_403(request, pk: int, allowed) -> Story:
    story = access.get_story_for(request.user, pk=pk)
    if not allowed(request.user, story):
        raise PermissionDenied
    return story


@login_required
def story_new(request: HttpRequest) -> HttpResponse:
    form_class = _form_class(request.user)
    initial = {}
    person = involvement_access.own_person(request.user)
    if person is not None:
        # An SU's story goes to the PPL of their directorate, when they belong to just one.
        directorates = list(person.directorates.all()[:2])
        if len(directorates) == 1:
            initial["directorate"] = directorates[0].pk
    form = form_class(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") != "draft"
        fields = _story_fields(form)
        story = services.story_create(
            author=request.user,
            principles=form.cleaned_data["principles"],
            submit=submit,
            **fields,
        )
        if submit:
            messages.success(
                request,
                "Thank you: your story is sent for review. A People Participation Lead or the "
                "QI team will read it.",
            )
        else:
            messages.success(request, "Your story is saved as a draft. Only you can see it.")
        return redirect(story.get_absolute_url())
    return render(request, "stories/story_form.html", {"form": form, "story": None})


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_or_403(request, pk, access.can_edit_story)
    # Reviewers get the full form whatever the author used; authors keep theirs.
    form_class = StoryForm if access.is_reviewer(request.user, story) else _form_class(request.user)
    form = form_class(request.POST or None, user=request.user, initial=StoryForm.initial_for(story))
    author_can_submit = access.can_submit_story(request.user, story)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(
                story=story,
                by=request.user,
                principles=form.cleaned_data["principles"],
                **_story_fields(form),
            )
            if author_can_submit and request.POST.get("action") != "draft":
                services.story_submit(story=story, by=request.user)
                messages.success(request, "Your changes are saved and sent for review.")
            else:
                messages.success(request, "Your changes are saved.")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        story.refresh_from_db()
        return redirect(story.get_absolute_url())
    return render(
        request,
        "stories/story_form.html",
        {"form": form, "story": story, "author_can_submit": author_can_submit},
    )


@login_required
@require_POST
def story_submit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_or_403(request, pk, access.can_submit_story)
    try:
        services.story_submit(story=story, by=request.user)
        messages.success(request, "Your story is sent for review.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(story.get_absolute_url())


@login_required
def story_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_or_403(request, pk, access.can_review_story)
    form = RequestChangesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_request_changes(
                story=story, by=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, "The story is back with its author, with your comment.")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(story.get_absolute_url())
    return render(request, "stories/request_changes.html", {"form": form, "story": story})


@login_required
@require_POST
def story_publish(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_or_403(request, pk, access.can_review_story)
    try:
        services.story_publish(story=story, by=request.user)
        messages.success(request, "The story is published in the library.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(story.get_absolute_url())


@login_required
def story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_or_403(request, pk, access.can_withdraw_story)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_withdraw(
                story=story, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, "The story is withdrawn: it no longer appears in the library or the feed."
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(story.get_absolute_url())
    return render(request, "stories/withdraw.html", {"form": form, "story": story})


@login_required
def story_people(request: HttpRequest, pk: int) -> HttpResponse:
    """The people a story names, and their consent."""
    story = access.get_story_for(request.user, pk=pk)
    if not (access.is_author(request.user, story) or access.is_reviewer(request.user, story)):
        raise PermissionDenied
    can_name = access.can_name_people(request.user, story)
    form = NamedPersonForm(request.POST or None, user=request.user) if can_name else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                named = services.named_person_add(
                    story=story,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    person=form.cleaned_data.get("person"),
                )
                messages.success(request, f"{named.name} is added. Their consent is needed.")
            except ValidationError as error:
                messages.error(request, _error_text(error))
            return redirect("stories:people", pk=story.pk)
    return render(
        request,
        "stories/people.html",
        {
            "story": story,
            "form": form,
            "named_people": paginate(
                request, story.named_people.select_related("person", "consent_recorded_by")
            ),
            "can_record_consent": access.can_record_consent(request.user, story),
            "can_name_people": can_name,
        },
    )


@login_required
@require_POST
def story_person_remove(request: HttpRequest, pk: int, named_pk: int) -> HttpResponse:
    story = _story_or_403(request, pk, access.can_name_people)
    named = get_object_or_404(story.named_people, pk=named_pk)
    try:
        services.named_person_remove(named=named, by=request.user)
        messages.success(request, f"{named.name} is no longer listed as named in the story.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("stories:people", pk=story.pk)


@login_required
def story_consent(request: HttpRequest, pk: int, named_pk: int) -> HttpResponse:
    story = _story_or_403(request, pk, access.can_record_consent)
    named = get_object_or_404(story.named_people, pk=named_pk)
    form = ConsentForm(request.POST or None, initial={"given_on": named.consent_given_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                named=named, by=request.user, given_on=form.cleaned_data["given_on"]
            )
            messages.success(request, f"{named.name}'s consent is recorded.")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("stories:people", pk=story.pk)
    return render(request, "stories/consent.html", {"form": form, "story": story, "named": named})


@login_required
def my_stories(request: HttpRequest) -> HttpResponse:
    """The user's own stories, in every state."""
    stories = Story.objects.authored_by(request.user).for_list().order_by("-updated_at", "-pk")
    return render(
        request, "stories/mine.html", {"page": paginate(request, stories, per_page=PER_PAGE)}
    )


@involvement_access.role_required(Role.PPL, Role.ADMIN)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Stories waiting for this reviewer (oldest first), then the ones back with their authors."""
    stories = (
        access.reviewable_stories(request.user)
        .filter(status__in=[StoryStatus.SUBMITTED, StoryStatus.CHANGES_REQUESTED])
        .for_list()
        .annotate(
            waiting_first=Case(When(status=StoryStatus.SUBMITTED, then=Value(0)), default=Value(1))
        )
        .order_by("waiting_first", "submitted_at", "pk")
    )
    return render(
        request,
        "stories/review_queue.html",
        {"page": paginate(request, stories, per_page=PER_PAGE)},
    )
