"""Rights articles, hotlines, the repayment calculator, the offline worker, and the editors."""

from __future__ import annotations

from decimal import Decimal

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from goldendreams.agencies import queries as agency_queries
from goldendreams.core.auth import Role, roles_required
from goldendreams.core.base import today
from goldendreams.core.http_cache import cached_page
from goldendreams.core.sanitize import markdown_to_html
from goldendreams.core.security import remember_choice
from goldendreams.extensions import db
from goldendreams.jobs.choices import FEE_CURRENCIES
from goldendreams.rights import choices, queries, services
from goldendreams.rights.calculator import repayment
from goldendreams.rights.forms import (
    ArticleFilterForm,
    ArticleForm,
    ArticleTextForm,
    CalculatorForm,
    ExchangeRateForm,
    HotlineForm,
)
from goldendreams.rights.models import Article, ExchangeRate, Hotline
from goldendreams.support import queries as support_queries

bp = Blueprint("rights", __name__, template_folder="templates")
staff_bp = Blueprint("rights_staff", __name__, url_prefix="/staff/rights")
hotlines_bp = Blueprint("hotlines_staff", __name__, url_prefix="/staff/hotlines")

ARTICLE_EDITORS = (Role.ADMIN, Role.MODERATOR)
#: Remembers the country a reader chose on the help page (not where they are: they choose).
COUNTRY_COOKIE = "gd_country"


@bp.app_context_processor
def rights_vocabulary() -> dict:
    return {"rights_choices": choices}


# --- readers -------------------------------------------------------------------------------


@bp.get("/rights/")
@cached_page
def article_list():
    form = ArticleFilterForm(request.args)
    country = form.country.data if form.validate() else None
    articles = queries.published_articles(country or None)
    by_topic: dict[str, list[Article]] = {}
    for article in articles:
        by_topic.setdefault(article.topic, []).append(article)
    return render_template("rights/list.html", form=form, by_topic=by_topic)


@bp.get("/rights/<slug>")
@cached_page
def article(slug: str):
    found = queries.published_article(slug)
    if found is None:
        abort(404)
    reader = str(get_locale())
    asked = request.args.get("lang")
    versions = {text.locale: text for text in found.texts}
    text = versions.get(asked) or found.text_for(reader)
    return render_template(
        "rights/article.html",
        article=found,
        text=text,
        others=[versions[code] for code in current_app.config["LOCALES"] if code in versions],
        # The reader's language is missing and they did not ask for another one.
        fallback=reader not in versions and asked not in versions,
    )


@bp.get("/rights/calculator")
def calculator():
    form = CalculatorForm(request.args)
    result = used_rate = None
    fee_money, pay_money = form.fee_currency.data, form.wage_currency.data
    # The site's rate when none is typed (a job page links here without one).
    default = None
    if fee_money != pay_money and {fee_money, pay_money} <= set(FEE_CURRENCIES):
        default = queries.default_rate(fee_money, pay_money)
    if "fee" in request.args and form.validate(default_rate=default is not None):
        rate = Decimal(1)
        if fee_money != pay_money:
            rate = form.rate.data
            if rate is None:
                rate, used_rate = default.rate, default
        result = repayment(
            form.fee.data, form.wage.data, form.living.data or 0, form.interest.data or 0, rate
        )
    return render_template(
        "rights/calculator.html",
        form=form,
        result=result,
        default_rate=default,
        used_rate=used_rate,
        warn_after=current_app.config["FEE_WARNING_MONTHS"],
        fees_article=queries.published_article("recruitment-fees"),
    )


@bp.get("/help/")
@cached_page
def hotlines():
    """The hotlines of the country the reader chose (remembered), else of every country."""
    asked = request.args.get("country")
    if asked and asked != "all" and asked not in choices.HOTLINE_COUNTRIES:
        abort(404)
    country = asked or request.cookies.get(COUNTRY_COOKIE)
    if country not in choices.HOTLINE_COUNTRIES:
        country = None
    page = render_template(
        "rights/hotlines.html",
        country=country,
        hotlines=queries.hotlines(country),
        # The network's CSOs covering the country chosen (all of them: on /partners).
        partners=agency_queries.partners(country) if country else [],
        # The service directory's entries for that country, by kind (support/).
        services=support_queries.for_help(country),
    )
    if not asked:
        return page  # the same for everyone with the same cookie: the page cache keeps it
    response = current_app.make_response(page)
    if asked == "all":
        response.delete_cookie(COUNTRY_COOKIE)
    elif asked:
        remember_choice(response, COUNTRY_COOKIE, asked)
    return response


@bp.get("/sw.js")
def service_worker():
    """The offline worker, served from the root so that it may keep /rights/ and /help/."""
    response = send_from_directory(current_app.static_folder, "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


# --- editors: articles (admins and moderators) --------------------------------------------


def _article_or_404(article_id: int) -> Article:
    return db.get_or_404(Article, article_id)


@staff_bp.get("/")
@roles_required(*ARTICLE_EDITORS)
def staff_articles():
    return render_template("rights/staff_list.html", articles=queries.all_articles())


@staff_bp.route("/new", methods=["GET", "POST"], endpoint="new_article")
@staff_bp.route("/<int:article_id>", methods=["GET", "POST"])
@roles_required(*ARTICLE_EDITORS)
def edit_article(article_id: int | None = None):
    found = _article_or_404(article_id) if article_id else None
    form = ArticleForm(obj=found)
    if form.validate_on_submit():
        try:
            saved = services.save_article(current_user, found, **form.article_fields())
        except services.RightsError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("rights_staff.edit_article", article_id=saved.id))
    return render_template("rights/edit_article.html", form=form, article=found)


@staff_bp.route("/<int:article_id>/<any(en, my, km, th, lo, ne):locale>", methods=["GET", "POST"])
@roles_required(*ARTICLE_EDITORS)
def edit_text(article_id: int, locale: str):
    found = _article_or_404(article_id)
    text = next((t for t in found.texts if t.locale == locale), None)
    form = ArticleTextForm(obj=text)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = markdown_to_html(form.body_markdown.data)
        else:
            try:
                services.save_text(
                    current_user,
                    found,
                    locale=locale,
                    title=form.title.data,
                    summary=form.summary.data,
                    body_markdown=form.body_markdown.data,
                )
            except services.RightsError as error:
                flash(str(error), "error")
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("rights_staff.edit_article", article_id=found.id))
    return render_template(
        "rights/edit_text.html", form=form, article=found, locale=locale, preview=preview
    )


@staff_bp.post("/<int:article_id>/<any(en, my, km, th, lo, ne):locale>/delete")
@roles_required(*ARTICLE_EDITORS)
def delete_text(article_id: int, locale: str):
    found = _article_or_404(article_id)
    try:
        services.delete_text(current_user, found, locale)
    except services.RightsError as error:
        flash(str(error), "error")
    else:
        flash(_("Deleted."), "success")
    return redirect(url_for("rights_staff.edit_article", article_id=found.id))


# --- editors: hotlines (admins) ------------------------------------------------------------


@hotlines_bp.get("/")
@roles_required(Role.ADMIN)
def staff_hotlines():
    return render_template("rights/staff_hotlines.html", hotlines=queries.hotlines())


@hotlines_bp.route("/new", methods=["GET", "POST"], endpoint="new_hotline")
@hotlines_bp.route("/<int:hotline_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_hotline(hotline_id: int | None = None):
    found = db.get_or_404(Hotline, hotline_id) if hotline_id else None
    form = HotlineForm(obj=found)
    if found is not None and request.method == "GET":
        form.fill(found)
    if form.validate_on_submit():
        try:
            services.save_hotline(current_user, found, **form.hotline_fields())
        except services.RightsError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("hotlines_staff.staff_hotlines"))
    return render_template("rights/edit_hotline.html", form=form, hotline=found)


@hotlines_bp.post("/<int:hotline_id>/delete")
@roles_required(Role.ADMIN)
def delete_hotline(hotline_id: int):
    services.delete_hotline(current_user, db.get_or_404(Hotline, hotline_id))
    flash(_("Deleted."), "success")
    return redirect(url_for("hotlines_staff.staff_hotlines"))


# --- editors: default exchange rates for the calculator (admins) ---------------------------


@staff_bp.get("/exchange-rates/")
@roles_required(Role.ADMIN)
def exchange_rates():
    return render_template("rights/staff_rates.html", rates=queries.exchange_rates())


@staff_bp.route("/exchange-rates/new", methods=["GET", "POST"], endpoint="new_rate")
@staff_bp.route("/exchange-rates/<int:rate_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_rate(rate_id: int | None = None):
    found = db.get_or_404(ExchangeRate, rate_id) if rate_id else None
    form = ExchangeRateForm(obj=found)
    if found is None and not form.is_submitted():
        form.set_on.data = today()
    if form.validate_on_submit():
        try:
            services.save_rate(
                current_user,
                found,
                base=form.base.data,
                quote=form.quote.data,
                value=form.rate.data,
                set_on=form.set_on.data,
            )
        except services.RightsError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("rights_staff.exchange_rates"))
    return render_template("rights/edit_rate.html", form=form, rate=found)


@staff_bp.post("/exchange-rates/<int:rate_id>/delete")
@roles_required(Role.ADMIN)
def delete_rate(rate_id: int):
    services.delete_rate(current_user, db.get_or_404(ExchangeRate, rate_id))
    flash(_("Deleted."), "success")
    return redirect(url_for("rights_staff.exchange_rates"))
