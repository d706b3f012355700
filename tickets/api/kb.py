"""`/api/articles/` (API.md, "Knowledge base"): signed-in users read, staff write.

The queryset is `article_list(user)`, so a requester's list, search and detail never
include drafts or staff-only articles (detail answers 404). Writes go through
tickets/kb/services.py; the serializer checks shape only.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from schools.roles import is_staff_member
from tickets.api.permissions import signed_in_user
from tickets.kb import selectors, services
from tickets.kb.markdown import render_markdown
from tickets.models import Article


class ArticleSerializer(serializers.ModelSerializer[Article]):
    body_html = serializers.SerializerMethodField(help_text="The body rendered from Markdown and sanitized.")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "body",
            "body_html",
            "category",
            "audience",
            "status",
            "author",
            "source_ticket",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["author", "source_ticket", "created_at", "updated_at"]
        extra_kwargs = {"category": {"required": False, "allow_null": True}}

    def get_body_html(self, article: Article) -> str:
        return str(render_markdown(article.body))


class StaffWritesArticles(BasePermission):
    """Everyone signed in reads; only staff write.

    For writes to one article the object is looked up first, so an article the
    caller cannot see answers 404 (out of reach), not 403.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS or "pk" in view.kwargs:
            return True
        return is_staff_member(request.user)

    def has_object_permission(self, request: Request, view: APIView, obj: Article) -> bool:
        return request.method in SAFE_METHODS or is_staff_member(request.user)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("search", str, description="Words to find in the title (ranked first) and body.")]
    )
)
class ArticleViewSet(viewsets.ModelViewSet[Article]):
    serializer_class = ArticleSerializer
    permission_classes = [IsAuthenticated, StaffWritesArticles]
    filterset_fields = ["category", "audience", "status"]

    def get_queryset(self) -> QuerySet[Article]:
        articles = selectors.article_list(self.request.user)
        search = self.request.query_params.get("search", "")
        if self.action == "list" and search.strip():
            return selectors.search_articles(articles, search)
        return articles.order_by("title", "id")

    def perform_create(self, serializer: serializers.BaseSerializer[Article]) -> None:
        serializer.instance = services.create_article(actor=signed_in_user(self.request), **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer[Article]) -> None:
        article = serializer.instance
        assert article is not None  # UpdateModelMixin builds the serializer around `get_object()`
        changes: dict[str, Any] = dict(serializer.validated_data)
        serializer.instance = services.update_article(
            actor=signed_in_user(self.request), article=article, changes=changes
        )

    def perform_destroy(self, instance: Article) -> None:
        services.delete_article(actor=signed_in_user(self.request), article=instance)
