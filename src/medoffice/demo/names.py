"""Name pools of the synthetic population: the mix a US family practice sees, accents included.

Pools are ordered most common first (the generator weights them by rank). An underscore stands
for a space inside one name ("Dela_Cruz"). Every person is made up; any likeness is chance.
"""

from __future__ import annotations

from dataclasses import dataclass

from medoffice.patients.choices import Ethnicity, Language, Race


def pool(text: str) -> tuple[str, ...]:
    return tuple(word.replace("_", " ") for word in text.split())


@dataclass(frozen=True)
class Background:
    """Where a household's names come from, with its languages and usual race/ethnicity codes."""

    code: str
    weight: float
    surnames: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    languages: tuple[tuple[str, float], ...] = ()  # (language, share of adults preferring it)
    race: tuple[str, ...] = (Race.WHITE,)
    ethnicity: str = Ethnicity.NOT_HISPANIC
    feminine_surnames: bool = False  # Ivanov -> Ivanova, Kowalski -> Kowalska
    english_names: float = 0.0  # share of adults with an English preferred name


# General US first names by generation (aged 60 and over, 25 to 59, under 25).
MALE_BY_ERA = (
    pool("Robert James John William Richard Charles Donald George Thomas Joseph Ronald Kenneth "
         "Edward Paul Larry Gary Frank Raymond Walter Harold Gerald Roger Dennis Carl Arthur "
         "Ralph Eugene Howard Stanley Leonard Francis Bruce"),
    pool("Michael Christopher Matthew David James Joshua Daniel Jason Andrew Ryan Brian Justin "
         "Kevin Eric Jonathan Steven Timothy Jeffrey Mark Adam Aaron Nicholas Scott Jeremy "
         "Benjamin Patrick Sean Travis Kyle Zachary Jon Nathan Derek"),
    pool("Liam Noah Oliver Elijah James William Benjamin Lucas Henry Theodore Jack Levi "
         "Alexander Jackson Mateo Daniel Michael Mason Sebastian Ethan Logan Owen Samuel Jacob "
         "Asher Aiden John Joseph Wyatt Jonah Caleb Hudson Lincoln Ezra Isaac Gabriel Carter "
         "Julian Leo Luca Miles Eli Jonas Joel Josiah Rhys"),
)  # fmt: skip
FEMALE_BY_ERA = (
    pool("Mary Patricia Linda Barbara Dorothy Margaret Betty Nancy Sandra Carol Judith Sharon "
         "Shirley Joan Donna Janet Carolyn Frances Joyce Diane Helen Ruth Marilyn Phyllis "
         "Gloria Brenda Beverly Lorraine Renée Elaine Jean Marie"),
    pool("Jennifer Jessica Amanda Ashley Sarah Stephanie Melissa Nicole Elizabeth Heather "
         "Michelle Amy Kimberly Rebecca Laura Lauren Megan Rachel Emily Samantha Christina "
         "Danielle Katherine Erin Kelly Andrea Amber Crystal Tiffany Chloé Joanna Jodie"),
    pool("Olivia Emma Charlotte Amelia Sophia Mia Isabella Ava Evelyn Luna Harper Camila Sofia "
         "Scarlett Elizabeth Eleanor Emily Chloe Mila Violet Penelope Gianna Aria Abigail Ella "
         "Avery Hazel Nora Layla Lily Zoë Aurora Nova Ellie Madison Grace Isla Willow Zoey "
         "Riley Stella Hannah Addison Leah Lucy Josie Joy"),
)  # fmt: skip
MIDDLE = pool("Ann Marie Lynn Lee Michael James Grace Rose Elizabeth Jean Louise Joseph Allen "
              "Ray Mae Jo Kay Alan Wayne Dean")  # fmt: skip
NICKNAMES = {
    "Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Margaret": "Peggy", "James": "Jim",
    "Richard": "Rick", "Thomas": "Tom", "Michael": "Mike", "Katherine": "Kate",
    "Christopher": "Chris", "Jennifer": "Jen", "Joseph": "Joe", "Alexander": "Alex",
    "Daniel": "Dan", "Patricia": "Pat", "Jonathan": "Jon", "Samantha": "Sam", "Nicholas": "Nick",
    "Edward": "Ted", "Theodore": "Teddy", "Benjamin": "Ben", "Abigail": "Abby",
}  # fmt: skip
ENGLISH_NAMES = (
    pool("David Kevin Eric Jason Andrew Michael Peter Tony Daniel Henry Vincent Jimmy"),
    pool("Grace Michelle Jennifer Amy Vivian Cindy Helen Tina Christine Annie Linda Julie"),
)

BACKGROUNDS: tuple[Background, ...] = (
    Background(
        "general", 52,
        pool("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas "
             "Moore Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen "
             "King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner "
             "Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers "
             "Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood "
             "Watson Brooks Bennett Gray Hughes Price Sanders Myers Long Ross Foster O'Brien "
             "O'Connor O'Neill McCarthy MacDonald Sullivan Brennan Donovan Fitzgerald Schmidt "
             "Müller Schneider Fischer Weber Becker Hoffmann Schröder Rossi Russo Esposito "
             "Bianchi Romano D'Angelo DiNapoli Dubois Lefèvre Larsen Olsen Johansson Lindström "
             "Björk Novák Dvořák Horváth Nagy Van_Dyke Vander_Meer St._Clair Whitman Klein "
             "Weiss Goldberg Cohen Shapiro Friedman"),
        MALE_BY_ERA[1], FEMALE_BY_ERA[1],
    ),
    Background(
        "hispanic", 18,
        pool("García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres "
             "Flores Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez Ortiz Ramos Castillo "
             "Jiménez Vásquez Romero Mendoza Ruiz Álvarez Castro Vargas Herrera Medina Aguilar "
             "Núñez Peña Delgado Santiago Colón Figueroa Acosta Serrano"),
        pool("José Juan Luis Carlos Jorge Miguel Alejandro Francisco Javier Diego Mateo "
             "Santiago Sebastián Andrés Ángel Jesús Manuel Pedro Ricardo Fernando Eduardo Raúl "
             "Héctor Óscar Emilio Joaquín Tomás Iván Rubén Josué"),
        pool("María Guadalupe Ana Carmen Rosa Lucía Sofía Valentina Camila Isabel Elena Ximena "
             "Daniela Mariana Verónica Inés Gabriela Alejandra Adriana Paola Natalia Beatriz "
             "Leticia Mónica Yolanda Silvia Marisol Julieta Renata Itzel Josefina"),
        languages=((Language.SPANISH, 0.45),),
        race=(Race.WHITE, Race.WHITE, Race.OTHER, Race.BLACK, Race.AMERICAN_INDIAN),
        ethnicity=Ethnicity.HISPANIC,
    ),
    Background(
        "black", 12,
        pool("Washington Jefferson Jackson Johnson Williams Brown Robinson Harris Banks Freeman "
             "Coleman Jenkins Bryant Gaines Mosley Booker Dixon Hayes Simmons Hamilton Ellis "
             "Graham Wallace Griffin Franklin Carter Thomas Davis Moore Taylor Lewis Walker "
             "Green Jones Wright Smith"),
        pool("DeShawn Jamal Malik Darnell Andre Terrence Marcus Isaiah Elijah Jaylen Tyrone "
             "Darius Xavier Cedric Reginald Kendrick Jalen Trevon Devon Derrick Calvin Lamar "
             "Antoine Jerome Michael James Joshua Jordan"),
        pool("Aaliyah Imani Keisha Latoya Jasmine Destiny Nia Ebony Tiana Naomi Shanice Kiara "
             "Tamika Jada Zaria Aniyah Monique Denise Yvonne Brianna Alicia Danielle Maya "
             "Joanne Jordan"),
        race=(Race.BLACK,),
    ),
    Background(
        "african_caribbean", 2,
        pool("Pierre Jean-Baptiste Baptiste Toussaint Étienne Joseph Louis Okafor Adeyemi "
             "Mensah Diallo Traoré Okonkwo Nwosu Osei Boateng Abdi Warsame Hassan Mohamed Farah"),
        pool("Jean Jean-Pierre Emmanuel Wilner Frantz Chukwuemeka Kwame Kofi Abdi Mamadou "
             "Ibrahim Samuel Olumide Yusuf"),
        pool("Marie Roseline Nadège Widelene Chiamaka Ngozi Adaeze Ama Fatoumata Hodan Amina "
             "Fadumo Esther Yetunde"),
        languages=((Language.HAITIAN_CREOLE, 0.25), (Language.FRENCH, 0.1),
                   (Language.SOMALI, 0.1)),
        race=(Race.BLACK,),
    ),
    Background(
        "vietnamese", 1.5,
        pool("Nguyễn Nguyễn Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô "
             "Dương Lý"),
        pool("Minh Huy Long Dũng Tuấn Hùng Quang Phúc Khoa Bảo Đức Thành Nam Hải Việt"),
        pool("Anh Thảo Linh Hương Trang Ngọc Lan Mai Hoa Thu Hạnh Vy Hà Nhung Phương"),
        languages=((Language.VIETNAMESE, 0.45),), race=(Race.ASIAN,), english_names=0.2,
    ),
    Background(
        "chinese", 2.5,
        pool("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Lin Guo He Gao "
             "Chan Wong Lee Ng Cheung Leung"),
        pool("Wei Jun Hao Ming Lei Jian Tao Yong Jie Peng Bo Kai Yi Yu Zhi Kevin Eric Jason"),
        pool("Mei Xiu Ying Jing Li_Na Fang Hui Yan Xin Lan Ting Qing Grace Michelle Amy"),
        languages=((Language.CHINESE, 0.4),), race=(Race.ASIAN,), english_names=0.25,
    ),
    Background(
        "korean", 1,
        pool("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon"),
        pool("Min-jun Ji-ho Seo-jun Do-yun Hyun-woo Jae-won Sung-min Joon Daniel Paul"),
        pool("Seo-yeon Ji-woo Ha-eun Soo-ah Min-ji Ji-yeon Eun-ji Grace Esther"),
        languages=((Language.KOREAN, 0.35),), race=(Race.ASIAN,), english_names=0.25,
    ),
    Background(
        "filipino", 1.3,
        pool("Santos Reyes Cruz Bautista Dela_Cruz Garcia Mendoza Villanueva Ramos Aquino "
             "Castro Flores Soriano Navarro Dizon Manalo Pascual Salazar"),
        pool("Jose Juan Mark John_Paul Christian Carlo Rommel Jericho Paolo Angelo Ramon"),
        pool("Maria Mary_Grace Kristine Jocelyn Marites Rowena Analyn Jasmine Angelica Lourdes "
             "Rosario"),
        languages=((Language.TAGALOG, 0.15),), race=(Race.ASIAN, Race.PACIFIC_ISLANDER),
    ),
    Background(
        "south_asian", 2,
        pool("Patel Patel Shah Singh Kumar Gupta Sharma Reddy Iyer Desai Mehta Rao Nair Joshi "
             "Chaudhary Kaur Khan Malhotra Bhatt"),
        pool("Arjun Rohan Vikram Aarav Rahul Amit Sanjay Raj Anil Suresh Vivek Nikhil Dev "
             "Krishna"),
        pool("Priya Ananya Kavya Diya Anjali Pooja Neha Sunita Lakshmi Meera Deepa Riya Aditi "
             "Shreya"),
        languages=((Language.HINDI, 0.15),), race=(Race.ASIAN,),
    ),
    Background(
        "arab", 1.5,
        pool("Haddad Khalil Nasser Mansour Saleh Hussein Abdullah Farah Al-Masri El-Amin "
             "Khoury Aziz Hamdan Saad Youssef Ibrahim Darwish Najjar Sabbagh"),
        pool("Ahmed Mohammed Omar Yousef Khaled Ali Hassan Karim Tariq Sami Rami Ziad Bilal "
             "Fadi Nabil"),
        pool("Fatima Layla Aisha Mariam Noor Yasmin Rania Huda Salma Leila Hana Dina Nour "
             "Zeinab Amira"),
        languages=((Language.ARABIC, 0.4),),
    ),
    Background(
        "russian", 1,
        pool("Ivanov Petrov Smirnov Volkov Kuznetsov Sokolov Popov Morozov Novikov Kozlov "
             "Shevchenko Bondarenko Kovalenko Lebedev"),
        pool("Dmitri Sergei Alexei Ivan Nikolai Andrei Mikhail Vladimir Yuri Pavel Oleksandr"),
        pool("Olga Natalia Svetlana Irina Tatiana Elena Anastasia Yulia Ekaterina Oksana"),
        languages=((Language.RUSSIAN, 0.3),), feminine_surnames=True,
    ),
    Background(
        "polish", 1,
        pool("Kowalski Nowak Wiśniewski Wójcik Zieliński Lewandowski Kamiński Szymański "
             "Dąbrowski Kozłowski Mazur Krawczyk"),
        pool("Piotr Krzysztof Tomasz Paweł Marek Łukasz Jakub Michał Andrzej Grzegorz"),
        pool("Anna Katarzyna Małgorzata Agnieszka Barbara Ewa Joanna Zofia Magdalena Alicja"),
        languages=((Language.POLISH, 0.25),), feminine_surnames=True,
    ),
    Background(
        "native", 0.5,
        pool("Begay Yazzie Benally Tsosie Nez Harjo Locklear Deschenie Hunt Oxendine"),
        MALE_BY_ERA[1], FEMALE_BY_ERA[1], race=(Race.AMERICAN_INDIAN,),
    ),
)  # fmt: skip


def masculine(surname: str) -> str:
    """The form a Slavic surname takes for a man (Ivanova -> Ivanov, Kowalska -> Kowalski)."""
    if surname.endswith(("ska", "cka")):
        return surname[:-1] + "i"
    if surname.endswith(("ova", "eva", "ina")):
        return surname[:-1]
    return surname


def feminine(surname: str) -> str:
    """The feminine form of a Slavic surname (Ivanov -> Ivanova, Kowalski -> Kowalska)."""
    if surname.endswith(("ski", "cki")):
        return surname[:-1] + "a"
    if surname.endswith(("ov", "ev", "in")):
        return surname + "a"
    return surname


TOWNS = (
    ("Riverbend", "12401"), ("Riverbend", "12402"), ("Kingston", "12401"),
    ("Saugerties", "12477"), ("New Paltz", "12561"), ("Woodstock", "12498"),
    ("Rhinebeck", "12572"), ("Highland", "12528"), ("Rosendale", "12472"),
    ("Stone Ridge", "12484"), ("Hurley", "12443"), ("Port Ewen", "12466"),
    ("Red Hook", "12571"), ("Poughkeepsie", "12601"),
)  # fmt: skip
STREETS = pool(
    "Maple_Ave Main_St Elm_St Oak_St Washington_Ave Broadway Hudson_St River_Rd Hillcrest_Dr "
    "Orchard_Ln Pine_St Cedar_Ln Church_St Mill_St Spring_St Lake_Dr Sunset_Dr Ridge_Rd "
    "Prospect_St Chestnut_St Walnut_St Willow_Way Meadow_Ln Park_Pl Academy_St Albany_Ave "
    "Wall_St Fair_St Pearl_St Green_St"
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
