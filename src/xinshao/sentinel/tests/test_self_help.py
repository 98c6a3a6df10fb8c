"""The self-help corner names the people a student may turn to, and the numbers for danger."""
from django.urls import reverse

URL = reverse("sentinel:self_help")


def test_a_student_sees_their_class_teacher_and_their_schools_psych_teacher_by_name(city, client_as):
    page = client_as(city.chen_user).get(URL).content.decode()
    assert city.zhang_a1.display_name in page and city.liu_a.display_name in page
    assert city.wang_b.display_name not in page and city.qian_b1.display_name not in page
    assert "12356" in page and 'href="tel:110"' in page and 'href="tel:120"' in page
    assert reverse("sentinel:checkin") in page


def test_a_guardian_sees_their_childs_teachers_and_no_check_in(city, client_as):
    page = client_as(city.chen_ma_user).get(URL).content.decode()
    assert city.zhang_a1.display_name in page and city.liu_a.display_name in page
    assert reverse("sentinel:checkin") not in page


def test_the_breathing_guide_works_without_its_script(city, client_as):
    page = client_as(city.lin_user).get(URL).content.decode()
    # The paced guide is hidden until the script shows it; the steps are always there as text.
    assert "data-breathing hidden" in page and "用鼻子慢慢吸气" in page and "sentinel/breathing.js" in page
    assert city.zhang_a1.display_name not in page  # Lin's class A2 has no class teacher in the test city
