"""Everyday words and abbreviations citizens type, mapped to the official terms of procedures.

Written by the team from common usage (portal search logs are not available to us); editors
maintain the list in the admin (Từ đồng nghĩa tìm kiếm). One entry per line: the term, then
the official phrases it stands for.

This is the list as first deployed. A migration runs once per database, so entries added here
later would never reach an existing one: later entries go to new migrations (0003 onwards).
"""

from django.db import migrations

SYNONYMS = [
    ("bằng lái", ["giấy phép lái xe"]),
    ("bằng lái xe", ["giấy phép lái xe"]),
    ("GPLX", ["giấy phép lái xe"]),
    ("đổi bằng lái", ["đổi giấy phép lái xe"]),
    ("CCCD", ["căn cước công dân", "căn cước"]),
    ("CMND", ["chứng minh nhân dân", "căn cước"]),
    ("GPXD", ["giấy phép xây dựng"]),
    ("xin phép xây nhà", ["giấy phép xây dựng"]),
    ("xây nhà", ["giấy phép xây dựng"]),
    ("ĐKKD", ["đăng ký kinh doanh", "đăng ký doanh nghiệp", "đăng ký hộ kinh doanh"]),
    ("ĐKDN", ["đăng ký doanh nghiệp"]),
    ("giấy phép kinh doanh", ["đăng ký doanh nghiệp", "đăng ký hộ kinh doanh", "giấy phép kinh doanh"]),
    ("mở công ty", ["thành lập doanh nghiệp", "đăng ký doanh nghiệp"]),
    ("thành lập công ty", ["thành lập doanh nghiệp", "đăng ký doanh nghiệp"]),
    ("mở quán", ["đăng ký hộ kinh doanh"]),
    ("kinh doanh cá thể", ["đăng ký hộ kinh doanh"]),
    ("sổ đỏ", ["giấy chứng nhận quyền sử dụng đất", "đăng ký đất đai"]),
    ("sổ hồng", ["quyền sở hữu nhà ở", "giấy chứng nhận quyền sử dụng đất"]),
    ("sang tên sổ đỏ", ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất"]),
    ("sang tên đất", ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất"]),
    ("mua bán đất", ["chuyển nhượng quyền sử dụng đất", "đăng ký biến động"]),
    ("QSDĐ", ["quyền sử dụng đất"]),
    ("GCN", ["giấy chứng nhận"]),
    ("làm giấy khai sinh", ["đăng ký khai sinh"]),
    ("giấy khai sinh", ["đăng ký khai sinh", "khai sinh"]),
    ("khai sinh cho con", ["đăng ký khai sinh"]),
    ("làm khai sinh", ["đăng ký khai sinh"]),
    ("giấy chứng tử", ["đăng ký khai tử"]),
    ("báo tử", ["đăng ký khai tử"]),
    ("giấy đăng ký kết hôn", ["đăng ký kết hôn"]),
    ("đăng ký cưới", ["đăng ký kết hôn"]),
    ("giấy độc thân", ["xác nhận tình trạng hôn nhân"]),
    ("xác nhận độc thân", ["xác nhận tình trạng hôn nhân"]),
    ("nhận con", ["nhận cha, mẹ, con"]),
    ("nhận cha", ["nhận cha, mẹ, con"]),
    ("con nuôi", ["nuôi con nuôi"]),
    ("hộ khẩu", ["đăng ký thường trú", "cư trú"]),
    ("nhập hộ khẩu", ["đăng ký thường trú"]),
    ("chuyển hộ khẩu", ["đăng ký thường trú"]),
    ("LLTP", ["lý lịch tư pháp"]),
    ("công chứng", ["chứng thực"]),
    ("sao y", ["chứng thực bản sao"]),
    ("photo công chứng", ["chứng thực bản sao từ bản chính"]),
    ("BHYT", ["bảo hiểm y tế"]),
    ("thẻ bảo hiểm", ["thẻ bảo hiểm y tế"]),
    ("BHXH", ["bảo hiểm xã hội"]),
    ("trợ cấp thất nghiệp", ["bảo hiểm thất nghiệp", "trợ cấp thất nghiệp"]),
    ("MST", ["mã số thuế", "đăng ký thuế"]),
    ("mã số thuế", ["đăng ký thuế"]),
    ("UBND", ["ủy ban nhân dân"]),
    ("phù hiệu xe", ["phù hiệu", "kinh doanh vận tải bằng xe ô tô"]),
    ("xe khách", ["kinh doanh vận tải bằng xe ô tô"]),
    ("trợ cấp người già", ["trợ cấp xã hội hằng tháng"]),
    ("trợ cấp xã hội", ["trợ cấp xã hội hằng tháng", "trợ giúp xã hội"]),
    ("ATTP", ["an toàn thực phẩm"]),
    ("VSATTP", ["an toàn thực phẩm"]),
    ("bán rượu", ["bán lẻ rượu", "kinh doanh rượu"]),
    ("bán thuốc lá", ["bán lẻ sản phẩm thuốc lá"]),
    ("PCCC", ["phòng cháy, chữa cháy"]),
    ("work permit", ["giấy phép lao động"]),
    ("CCHN", ["chứng chỉ hành nghề"]),
    ("vào lớp 1", ["tuyển sinh"]),
    ("nhập học", ["tuyển sinh"]),
    ("HTX", ["hợp tác xã"]),
    ("định danh điện tử", ["định danh điện tử", "VNeID"]),
    ("đăng kiểm", ["kiểm định"]),
    ("liệt sĩ", ["liệt sĩ", "người có công"]),
    ("thương binh", ["thương binh", "người có công"]),
]


def seed(apps, schema_editor):
    from services.text import fold, normalize_text

    SearchSynonym = apps.get_model("portal_search", "SearchSynonym")
    for term, expansions in SYNONYMS:
        term = normalize_text(term)
        SearchSynonym.objects.update_or_create(
            term_key=" ".join(fold(term).split()),
            defaults={"term": term, "expansions": "\n".join(expansions), "active": True},
        )


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
