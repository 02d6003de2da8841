"""The owner portal's pages (/owner/): thin, each calls owners.services or reads owners.selectors."""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.security import client_address

from . import exports, forms, selectors, services
from .auth import COOKIE, owner_required, set_session_cookie
from .choices import SessionKind


# ---------------------------------------------------------------- sign-in


def sign_in(request):
    """Step 1: the mobile number; step 2 (same page, after the POST): the code from the text message."""
    if request.method == "POST":
        form = forms.MobileForm(request.POST)
        if form.is_valid():
            mobile = str(form.cleaned_data["mobile"])
            try:
                services.request_code(mobile=mobile, client_address=client_address(request))
            except DomainError as refusal:
                form.add_error(None, str(refusal.message))
                return render(request, "owners/sign_in.html", {"form": form}, status=refusal.status_code)
            code_form = forms.CodeForm(initial={"mobile": mobile})
            return render(request, "owners/sign_in_code.html", {"form": code_form})
    else:
        form = forms.MobileForm()
    return render(request, "owners/sign_in.html", {"form": form})


@require_POST
def verify(request):
    form = forms.CodeForm(request.POST)
    if form.is_valid():
        outcome = services.sign_in(
            mobile=str(form.cleaned_data["mobile"]), code=form.cleaned_data["code"], kind=SessionKind.WEB
        )
        if outcome.token:
            response = redirect("owners:home")
            set_session_cookie(response, outcome.token, outcome.session.expires_at)
            return response
        form.add_error("code", outcome.error)
    return render(request, "owners/sign_in_code.html", {"form": form}, status=400)


@require_POST
@owner_required
def sign_out(request):
    services.sign_out(owner=request.owner)
    response = redirect("owners:sign-in")
    response.delete_cookie(COOKIE, path="/owner/")
    return response


# ---------------------------------------------------------------- home


@owner_required
def home(request):
    owner = request.owner
    return render(
        request,
        "owners/home.html",
        {
            "units": selectors.units_with_components(owner),
            **selectors.news_for(owner),
            "open_repairs": selectors.repairs_of(owner)[:3],
            "open_complaints": selectors.complaints_of(owner)[:3],
        },
    )


# ---------------------------------------------------------------- repairs


@owner_required
def repair_list(request):
    repairs = [
        {"order": order, "status": selectors.public_status(order)} for order in selectors.repairs_of(request.owner)
    ]
    return render(request, "owners/repair_list.html", {"repairs": repairs})


@owner_required
def repair_new(request):
    units = selectors.units_with_components(request.owner)
    form = forms.RepairForm(request.POST or None, request.FILES or None, initial={"unit": request.GET.get("unit")})
    form.set_units(units)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                order = services.report_repair(
                    owner=request.owner,
                    unit_id=data["unit"],
                    component_type=data["component_type"],
                    description=data["description"],
                    photos=data["photos"],
                    preferred_times=form.preferred_labels(),
                    confirm_duplicates=data["confirm_duplicates"],
                )
        except DomainError as refusal:
            duplicates = _refusal_to_form(form, refusal)
        else:
            messages.success(
                request, _("Thank you: your repair request no. %(number)s has been received.") % {"number": order.pk}
            )
            return redirect("owners:repair-detail", pk=order.pk)
    return render(request, "owners/repair_form.html", {"form": form, "units": units, "duplicates": duplicates})


@owner_required
def repair_detail(request, pk):
    order = selectors.repairs_of(request.owner).filter(pk=pk).first()
    if order is None:
        raise Http404
    return render(
        request,
        "owners/repair_detail.html",
        {
            "order": order,
            "status": selectors.public_status(order),
            "timeline": selectors.repair_timeline(order),
            "times": selectors.committed_times(order.complaint),
            "can_rate": selectors.can_rate(order),
            "rating_form": forms.RatingForm(),
            "rate_url": reverse("owners:repair-rate", args=[order.pk]),
        },
    )


@owner_required
def repair_photo(request, pk, photo_pk):
    photo = selectors.photo_of(request.owner, pk, photo_pk)
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@owner_required
def repair_rate(request, pk):
    order = selectors.repairs_of(request.owner).filter(pk=pk).first()
    if order is None:
        raise Http404
    return _rate(request, order, "owners:repair-detail")


# ---------------------------------------------------------------- complaints and suggestions


@owner_required
def complaint_list(request):
    rows = [{"complaint": c, "status": selectors.public_status(c)} for c in selectors.complaints_of(request.owner)]
    return render(request, "owners/complaint_list.html", {"complaints": rows})


@owner_required
def complaint_new(request):
    units = selectors.units_with_components(request.owner)
    form = forms.ComplaintForm(request.POST or None, initial={"unit": request.GET.get("unit")})
    form.set_units(units)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                complaint = services.raise_complaint(
                    owner=request.owner,
                    unit_id=data["unit"],
                    title=data["title"],
                    content=data["content"],
                    demand=data["demand"],
                    category=data["category"],
                    suggestion=data["kind"] == "suggestion",
                    confirm_duplicates=data["confirm_duplicates"],
                )
        except DomainError as refusal:
            duplicates = _refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Thank you: no. %(number)s has been received.") % {"number": complaint.pk})
            return redirect("owners:complaint-detail", pk=complaint.pk)
    return render(request, "owners/complaint_form.html", {"form": form, "duplicates": duplicates})


@owner_required
def complaint_detail(request, pk):
    complaint = selectors.complaints_of(request.owner).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return render(
        request,
        "owners/complaint_detail.html",
        {
            "complaint": complaint,
            "status": selectors.public_status(complaint),
            "timeline": selectors.complaint_timeline(complaint),
            "times": selectors.committed_times(complaint),
            "can_rate": selectors.can_rate(complaint),
            "rating_form": forms.RatingForm(),
            "rate_url": reverse("owners:complaint-rate", args=[complaint.pk]),
        },
    )


@require_POST
@owner_required
def complaint_rate(request, pk):
    complaint = selectors.complaints_of(request.owner).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return _rate(request, complaint, "owners:complaint-detail")


# ---------------------------------------------------------------- surveys (S1)


@owner_required
def survey(request, pk):
    """An open survey invitation of the owner's, answered here as through the message's link."""
    from surveys.forms import AnswerForm
    from surveys.services import answer_as_owner

    invitation = selectors.pending_surveys(request.owner).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    questionnaire = invitation.campaign.questionnaire
    form = AnswerForm(questionnaire, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer_as_owner(invitation=invitation, answers=form.answers())
        except DomainError as error:
            if error.field not in form.fields:
                messages.error(request, error.message)
                return redirect("owners:home")
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Thank you! Your answers have been received."))
            return redirect("owners:home")
    status = 400 if request.method == "POST" else 200
    context = {"invitation": invitation, "questionnaire": questionnaire, "form": form}
    return render(request, "owners/survey.html", context, status=status)


# ---------------------------------------------------------------- privacy


@owner_required
def privacy(request):
    customers = list(selectors.customers_of(request.owner))
    consents = all(customer.consents_to_messages for customer in customers)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "consent":
        form = forms.ConsentForm(request.POST)
        if form.is_valid():
            services.set_consent(owner=request.owner, consents=form.cleaned_data["consents"])
            messages.success(request, _("Your choice is saved and applies from now on."))
            return redirect("owners:privacy")
    elif action == "erase":
        form = forms.ErasureForm(request.POST)
        if form.is_valid():
            services.request_erasure(owner=request.owner, reason=form.cleaned_data["reason"])
            messages.success(request, _("Your request is recorded; customer service will contact you."))
            return redirect("owners:privacy")
    return render(
        request,
        "owners/privacy.html",
        {
            "consent_form": forms.ConsentForm(initial={"consents": consents}),
            "erasure_form": forms.ErasureForm(),
            "open_requests": [r for c in customers for r in c.erasure_requests.filter(status="requested")],
        },
    )


@owner_required
def data_export(request):
    return exports.personal_data_response(request.owner)


# ---------------------------------------------------------------- helpers


def _rate(request, record, detail_view):
    form = forms.RatingForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.rate(
                    owner=request.owner,
                    record=record,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
        except DomainError as refusal:
            messages.error(request, str(refusal.message))
        else:
            messages.success(request, _("Thank you for your rating."))
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect(detail_view, pk=record.pk)


def _refusal_to_form(form, refusal):
    """A rule's refusal shown on the form; the C1 duplicate warning asks to confirm and send again."""
    if refusal.code == "possible_duplicates":
        form.data = form.data.copy()
        form.data["confirm_duplicates"] = "on"
        form.add_error(
            None,
            _("You already have open requests about this home (%(numbers)s). Send this one anyway?")
            % {"numbers": ", ".join(f"#{n}" for n in refusal.extra["duplicates"])},
        )
        return refusal.extra["duplicates"]
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, str(refusal.message))
    return None
