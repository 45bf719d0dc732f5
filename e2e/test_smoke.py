"""The harness itself: public pages at both sizes, and proof that its checks can fail."""


def test_public_pages(journey):
    page = journey.actor()
    page.goto(journey.url())
    journey.look(page, "home")
    page.goto(journey.url("akun/masuk/"))
    journey.look(page, "sign-in")


def test_checks_find_problems(journey):
    """A page spoilt on purpose: an image without a text alternative, a field without a
    label, an element wider than the screen and a blocked inline script are all reported."""
    page = journey.actor()
    page.goto(journey.url("akun/masuk/"))
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        const image = document.createElement('img');
        image.src = '/static/satupintu/favicon.svg';
        main.appendChild(image);
        const input = document.createElement('input');
        main.appendChild(input);
        const wide = document.createElement('div');
        wide.style.width = '2000px';
        wide.textContent = 'wide';
        main.appendChild(wide);
        const script = document.createElement('script');
        script.textContent = 'window.inline = 1';
        document.body.appendChild(script);
    }"""
    )
    journey.look(page, "spoilt")
    found = "\n".join(journey.problems)
    journey.problems.clear()
    assert "image-alt" in found
    assert "label" in found
    assert "Content Security Policy" in found
    if journey.phone:
        assert "wider than the phone's screen" in found
