"""Knowledge base pages. Thin: check shape, call one service, translate its errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schools.roles import SignedInRequest, is_director, is_staff_member
from tickets.errors import DomainError
from tickets.kb import selectors, services
from tickets.kb.forms import ArticleForm, SearchForm, SolvedForm, VoteForm
from tickets.kb.markdown import render_markdown
from tickets.models import Article
from tickets.selectors import tickets_visible_to

PAGE_SIZE = 50
# The JS asks for fragments with this header; a plain form POST gets a full page.
FRAGMENT_HEADER = "X-Requested-With"


def _wants_fragment(request: HttpRequest) -> bool:
    return bool(request.headers.get(FRAGMENT_HEADER))


def _require_staff(request: HttpRequest) -> None:
    if not is_staff_member(request.user):
        raise Forbidden


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    articles = selectors.article_list(request.user)
    if query:
        articles = selectors.search_articles(articles, query)
    else:
        # Grouped by category on the page; the id keeps two same-named categories apart.
        # Within a category the reader's own language comes first.
        articles = articles.annotate(own_language=selectors.own_language_first()).order_by(
            F("category__name").asc(nulls_first=True), "category_id", "own_language", "title", "id"
        )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kb/index.html", {"form": form, "query": query, "page": page})


@login_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(selectors.article_list(request.user), pk=pk)
    # Views measure whether requesters read the article; the team's own visits
    # while writing and checking it would drown that out.
    if not is_staff_member(request.user):
        services.record_view(article=article)
    context = {
        "article": article,
        "body_html": render_markdown(article.body),
        "has_voted": selectors.has_voted(request.user, article),
    }
    return render(request, "kb/detail.html", context)


@login_required
@require_POST
def vote(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(selectors.articles_visible_to(request.user), pk=pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Answer yes or no."))
    try:
        services.vote_on_article(actor=request.user, article=article, helpful=form.cleaned_data["helpful"])
    except DomainError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("Thank you for telling us."))
    return redirect(reverse("kb:detail", args=[article.pk]) + "#helpful")


@login_required
@require_POST
def solved(request: SignedInRequest, pk: int) -> HttpResponse:
    """ "This solved it" beside a suggestion: count the deflection, file nothing."""
    article = get_object_or_404(selectors.articles_visible_to(request.user), pk=pk)
    form = SolvedForm(request.POST)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    services.record_deflection(actor=request.user, article=article, query=query)
    if _wants_fragment(request):
        return render(request, "kb/_solved.html", {"article": article})
    messages.success(request, _("Glad that helped — no request was filed."))
    return redirect("kb:detail", pk=article.pk)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """The HTML fragment of matching articles shown while a ticket title is typed."""
    if not request.user.is_authenticated:
        # A fragment endpoint: a redirect to the login page would be pasted into the form.
        return HttpResponse(status=403)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    articles = selectors.suggest_articles(request.user, query)
    response = render(request, "kb/_suggestions.html", {"articles": articles, "query": query})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    _require_staff(request)
    form = ArticleForm(request.POST or None, initial={"audience": Article.Audience.EVERYONE})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.create_article(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Article saved."))
            return redirect("kb:detail", pk=article.pk)
    return render(request, "kb/form.html", {"form": form, "article": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    article = get_object_or_404(selectors.article_list(request.user).select_related("source_ticket"), pk=pk)
    form = ArticleForm(request.POST or None, initial=ArticleForm.initial_from(article))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_article(actor=request.user, article=article, changes=dict(form.cleaned_data))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Article saved."))
            return redirect("kb:detail", pk=article.pk)
    return render(request, "kb/form.html", {"form": form, "article": article})


@login_required
@require_POST
def from_ticket(request: SignedInRequest, ticket_id: int) -> HttpResponse:
    """ "Turn this resolution into a draft article", from the ticket page."""
    _require_staff(request)
    ticket = get_object_or_404(tickets_visible_to(request.user), pk=ticket_id)
    try:
        article = services.draft_article_from_ticket(actor=request.user, ticket=ticket)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(f"/tickets/{ticket.pk}/")
    messages.success(request, _("Draft article ready: check the wording, then publish it."))
    return redirect("kb:edit", pk=article.pk)


@login_required
@require_GET
def stats(request: SignedInRequest) -> HttpResponse:
    if not is_director(request.user):
        raise Forbidden
    return render(request, "kb/stats.html", {"articles": selectors.article_stats()})
