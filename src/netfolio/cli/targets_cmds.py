"""``netfolio targets``: show, set and reset the field allocation targets the portfolio is
measured against."""

from __future__ import annotations

import typer

from netfolio.cli.state import net

targets_app = typer.Typer(
    help="The allocation you aim for: each field's target share of your tie strength. "
    "Fields you do not set keep their default share of the rest (docs/measures.md).",
    no_args_is_help=False, invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(targets_app, name="targets")


def _parse(pairs: list[str]) -> dict[str, float]:
    from netfolio.errors import ValidationError

    out: dict[str, float] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        number = value.strip().rstrip("%")
        try:
            share = float(number) / 100
        except ValueError:
            share = -1.0
        if not sep or not field.strip() or not 0 <= share <= 1:
            raise ValidationError(f"{pair!r}: write FIELD=PERCENT, e.g. software=20 (a field "
                                  "name or slug, and a percentage from 0 to 100)")
        out[field.strip()] = share
    return out


def _show(ctx: typer.Context, as_json: bool) -> None:
    from rich.table import Table

    from netfolio.cli import render

    lines = net(ctx).targets()
    if as_json:
        render.print_json([t.to_dict() for t in lines])
        return
    table = Table(title="Allocation targets (share of your tie strength)", header_style="bold")
    for column, justify in (("Field", "left"), ("Target", "right"), ("Set by", "left"),
                            ("Now", "right"), ("", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for t in lines:
        name = render.escape(t.name) + (" [dim](yours)[/]" if t.own else "")
        state = "[yellow]under target[/]" if t.under else ""
        table.add_row(name, f"{t.target:.1%}", "you" if t.set_by_you else "default",
                      f"{t.share_strength:.1%}", state)
    render.console().print(table)
    render.console().print(
        "[dim]Set: netfolio targets set software=20 finance=10 · back to the defaults: "
        "netfolio targets reset[/]")


@targets_app.callback()
def targets(ctx: typer.Context,
            as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """Show the targets: yours where you set one, else the default, against today's share."""
    if ctx.invoked_subcommand is None:
        _show(ctx, as_json)


@targets_app.command("set")
def set_targets(
    ctx: typer.Context,
    pairs: list[str] = typer.Argument(
        ..., metavar="FIELD=PERCENT...",
        help="Fields and their target percentages, e.g. software=20 'Finance and Investing=10'."),
    replace: bool = typer.Option(
        False, "--replace",
        help="Forget the targets you set before for the fields not named here."),
) -> None:
    """Set the target of some fields; the other fields share the rest by their defaults."""
    from netfolio.cli import render

    me = net(ctx).set_targets(_parse(pairs), replace=replace)
    total = sum(me.targets.values())
    render.success(f"Targets set for {len(me.targets)} field"
                   f"{'' if len(me.targets) == 1 else 's'} ({total:.0%} of your tie strength); "
                   "the other fields share the rest.")
    _show(ctx, False)


@targets_app.command("reset")
def reset_targets(
    ctx: typer.Context,
    fields: list[str] = typer.Argument(
        None, metavar="[FIELD]...", help="The fields to reset (default: all of them)."),
) -> None:
    """Forget targets you set: those fields go back to their default share."""
    from netfolio.cli import render

    net(ctx).reset_targets(fields or ())
    render.success("Targets reset to the defaults" + (f" for {', '.join(fields)}."
                                                      if fields else "."))
    _show(ctx, False)
