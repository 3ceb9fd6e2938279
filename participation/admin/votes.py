"""Votes and surveys in the console: the list with status and answers, each vote's questions, results and
history; actions open, close, publish (the outcome typed on the vote's page) and cancel. Votes are drafted
with their questions through the staff API (the mini-program's staff pages); the register of who
answered is here too, and never what they answered."""

from django.contrib import admin
from django.utils.html import format_html_join

from linli.api.errors import DomainError
from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from participation.models import Ballot, Question, Vote, VoteHistory
from participation.selectors import votes as selectors
from participation.services import votes as services


class VoteHistoryInline(HistoryInline):
    model = VoteHistory


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    can_delete = False
    fields = ("position", "kind", "text", "required", "max_choices", "options_text")
    readonly_fields = fields

    @admin.display(description="选项")
    def options_text(self, question):
        return " / ".join(o.text for o in question.options.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("options")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(CommunityScopedAdmin):
    list_display = ("title", "kind", "community", "estate", "unit", "status", "opens_at", "closes_at")
    list_filter = ("status", "kind", "unit", "community")
    list_select_related = ("community", "estate")
    search_fields = ("title",)
    date_hierarchy = "opens_at"
    inlines = [QuestionInline, VoteHistoryInline]
    actions = ["open_selected", "close_selected", "publish_selected", "cancel_selected"]

    def has_add_permission(self, request):
        return False  # drafted with their questions through the staff API

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        editable = {"outcome"}
        return [f.name for f in Vote._meta.fields if f.name not in editable] + ["results_text"]

    @admin.display(description="当前结果")
    def results_text(self, vote):
        data = selectors.results(vote, with_texts=False)
        turnout = "—" if data["turnout"] is None else f"{data['turnout'] * 100:.1f}%"
        lines = [(f"答卷 {data['responses']} 份，可参与 {data['eligible']}，参与率 {turnout}",)]
        for q in data["questions"]:
            counts = "；".join(f"{o['text']} {o['count']}" for o in q["options"]) or f"{q['answered']} 份填写"
            lines.append((f"{q['position']}. {q['text']}：{counts}",))
        return format_html_join("", "<div>{}</div>", lines)

    @admin.action(description="发布所选草稿")
    def open_selected(self, request, queryset):
        apply_service(self, request, queryset, "发布", lambda v: services.vote_open(vote=v, actor=request.user))

    @admin.action(description="立即结束所选投票")
    def close_selected(self, request, queryset):
        apply_service(self, request, queryset, "结束", lambda v: services.vote_close(vote=v, actor=request.user))

    @admin.action(description="公布所选投票的结果（先在投票页填写结果说明）")
    def publish_selected(self, request, queryset):
        def publish(vote):
            if not vote.outcome.strip():
                raise DomainError("请先在投票页填写结果说明")
            services.vote_publish(vote=vote, actor=request.user, outcome=vote.outcome)

        apply_service(self, request, queryset, "公布", publish)

    @admin.action(description="取消所选投票")
    def cancel_selected(self, request, queryset):
        apply_service(
            self,
            request,
            queryset,
            "取消",
            lambda v: services.vote_cancel(vote=v, actor=request.user, reason="后台取消"),
        )


@admin.register(Ballot)
class BallotAdmin(CommunityScopedAdmin):
    """Who answered (for turnout and one-per-household questions); what they answered is not shown."""

    community_field = "vote__community"
    list_display = ("vote", "room", "user", "created_at")
    list_filter = ("vote__community",)
    list_select_related = ("vote", "room__building__estate", "user")
    search_fields = ("vote__title", "room__number")
    readonly_fields = ("vote", "room", "user", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
