"""Golden Dreams: reviews, jobs and rights information for migrant workers."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides every other source of settings."""
    # The instance folder holds the SQLite file, the search index and instance/config.py;
    # GOLDENDREAMS_INSTANCE_PATH puts it outside the code (it must be an absolute path).
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("GOLDENDREAMS_INSTANCE_PATH") or None,
    )
    if config and config.get("TESTING"):
        app.testing = True

    from goldendreams.config import load_config
    from goldendreams.core.templating import BoundedIntConverter, PublicIdConverter

    load_config(app, config)
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["public_id"] = PublicIdConverter
    if app.config["PROXY_COUNT"]:
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]

    from goldendreams import (
        brands,
        cli,
        collective,
        extensions,
        plans,
        safeguarding,
        search,
        support,
        trends,
        validation,
    )
    from goldendreams.accounts import (
        audit_views,
        colleagues_views,
        notification_views,
        reset_views,
        two_factor_views,
        users_views,
    )
    from goldendreams.accounts import views as accounts_views
    from goldendreams.agencies import network_views
    from goldendreams.agencies import views as agencies_views
    from goldendreams.cases import (
        association_views,
        group_views,
        office_views,
        referral_views,
        routing_views,
    )
    from goldendreams.cases import views as cases_views
    from goldendreams.channels import admin_views as channels_admin_views
    from goldendreams.channels import sending as _channel_sending  # noqa: F401 (registers)
    from goldendreams.channels import views as channels_views
    from goldendreams.core import (
        errors,
        http_cache,
        i18n,
        mail,
        panels,
        queue,
        security,
        tasks_views,
        templating,
    )
    from goldendreams.core import views as core_views
    from goldendreams.desk import views as desk_views
    from goldendreams.inbox import answer_views, ask_views, call_views, file_views
    from goldendreams.inbox import views as inbox_views
    from goldendreams.jobs import order_views as job_order_views
    from goldendreams.jobs import views as jobs_views
    from goldendreams.moderation import views as moderation_views
    from goldendreams.moderation import waiting
    from goldendreams.profile import views as profile_views
    from goldendreams.reviews import views as reviews_views
    from goldendreams.rights import share_views
    from goldendreams.rights import views as rights_views

    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(_migrations_dir()), render_as_batch=True
    )
    extensions.babel.init_app(app, locale_selector=i18n.select_locale)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    accounts_views.init_login(app)
    queue.init_app(app)
    mail.init_app(app)

    http_cache.init_app(app)  # before security: its hook must run after the headers are set
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    panels.init_app(app)
    cli.init_app(app)
    search.init_app(app)
    waiting.init_app(app)  # counts of what waits, on staff pages

    app.register_blueprint(core_views.bp)
    app.register_blueprint(tasks_views.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(users_views.bp)
    app.register_blueprint(colleagues_views.bp)
    app.register_blueprint(reset_views.bp)
    app.register_blueprint(two_factor_views.bp)  # its guard: after the login is loaded
    app.register_blueprint(notification_views.bp)
    app.register_blueprint(agencies_views.bp)
    app.register_blueprint(agencies_views.staff_bp)
    app.register_blueprint(agencies_views.portal_bp)
    app.register_blueprint(network_views.bp)
    app.register_blueprint(reviews_views.bp)
    app.register_blueprint(reviews_views.portal_bp)
    app.register_blueprint(jobs_views.bp)
    app.register_blueprint(jobs_views.portal_bp)
    app.register_blueprint(job_order_views.bp)  # an employer's job orders
    app.register_blueprint(moderation_views.bp)
    app.register_blueprint(cases_views.bp)
    app.register_blueprint(cases_views.portal_bp)
    app.register_blueprint(cases_views.public_bp)
    app.register_blueprint(referral_views.bp)
    app.register_blueprint(group_views.bp)  # mobilizers' group complaints
    app.register_blueprint(office_views.bp)  # government officers
    app.register_blueprint(association_views.bp)  # industry associations
    app.register_blueprint(routing_views.bp)
    app.register_blueprint(rights_views.bp)
    app.register_blueprint(rights_views.staff_bp)
    app.register_blueprint(rights_views.hotlines_bp)
    app.register_blueprint(share_views.bp)  # share links for rights articles
    # Pages that combine features: the directory and organisation page, the private code.
    app.register_blueprint(inbox_views.bp)
    app.register_blueprint(call_views.bp)  # the contact log (/inbox/calls)
    app.register_blueprint(answer_views.bp)  # saved answers, /inbox/answers
    app.register_blueprint(file_views.bp)  # attachments, /inbox/<id>/files/<key>
    app.register_blueprint(ask_views.bp)  # a worker asks for help (/ask)
    app.register_blueprint(channels_views.bp)  # the messaging apps' webhooks
    app.register_blueprint(channels_admin_views.bp)  # their state and owners (/staff/channels)
    app.register_blueprint(profile_views.bp)
    app.register_blueprint(desk_views.bp)
    # The loop from a case to a fix that lasts (issue 20): each registers its blueprints,
    # tasks and the panels it adds to lower features' pages (core/panels.py).
    for feature in (collective, validation, plans, support, safeguarding, trends, brands):
        feature.init_app(app)

    # Every feature's queued work: a worker runs only the tasks it knows, and its scheduler
    # only the periodic ones imported here.
    from goldendreams.accounts import tasks as _accounts_tasks  # noqa: F401
    from goldendreams.agencies import tasks as _agencies_tasks  # noqa: F401
    from goldendreams.cases import tasks as _cases_tasks  # noqa: F401
    from goldendreams.channels import tasks as _channels_tasks  # noqa: F401
    from goldendreams.inbox import tasks as _inbox_tasks  # noqa: F401
    from goldendreams.jobs import tasks as _jobs_tasks  # noqa: F401
    from goldendreams.moderation import tasks as _moderation_tasks  # noqa: F401
    from goldendreams.reviews import tasks as _reviews_tasks  # noqa: F401

    return app


def _migrations_dir():
    from goldendreams.config import PROJECT_ROOT

    return PROJECT_ROOT / "migrations"
