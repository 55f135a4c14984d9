"""French templates of the demo's generated incidents and plans (fictional; see demo_texts)."""

from __future__ import annotations

from protectdesk.demo_texts import C, PlanTemplate, Texts, V, Variant

P, D = "physical", "digital"

VARIANTS = {
    "surveillance": (
        Variant(
            P,
            "Surveillance devant le bureau",
            "{Who} sont restés {time} devant {place} à photographier les personnes qui "
            "entraient et sortaient. Ils sont partis quand d'autres membres de {group} sont "
            "arrivés.",
            "office",
        ),
        Variant(
            P,
            "Des inconnus posent des questions sur {subject}",
            "{Who} ont demandé aux voisins près de {place} à quelle heure sort {subject}, qui "
            "d'autre habite la maison et quel véhicule est utilisé. Ils se sont présentés comme "
            "des enquêteurs.",
            "home",
        ),
        Variant(
            D,
            "Soupçon d'écoute téléphonique",
            "Lors d'une réunion, un responsable a répété mot pour mot un appel privé de "
            "{subject} de la veille. Depuis, le téléphone chauffe et la batterie se vide vite.",
        ),
    ),
    "stalking": (
        Variant(
            P,
            "Filature à moto jusqu'au domicile",
            "{Who} ont suivi {subject} {time} depuis {place} jusqu'au domicile, toujours à la "
            "même distance. Le lendemain, ils sont repassés deux fois dans la rue.",
            "road",
        ),
        Variant(
            P,
            "Une voiture suit le taxi",
            "Une voiture grise a suivi le taxi de {subject} depuis {place} ; elle changeait de "
            "file à chaque fois que le taxi le faisait et s'est arrêtée à cent mètres de "
            "l'arrivée.",
            "public",
        ),
    ),
    "intimidation": (
        Variant(
            D,
            "Appels silencieux",
            "{Subject} a reçu des appels d'un numéro masqué {time} pendant une semaine ; "
            "personne ne parlait et on raccrochait dès la réponse.",
        ),
        Variant(
            P,
            "Lettre d'intimidation glissée sous la porte",
            "Quelqu'un a glissé sous la porte de {place} une lettre écrite à la main : « nous "
            "savons ce que vous faites et qui vous rencontrez ».",
            "office",
        ),
        Variant(
            P,
            "Intimidation à un barrage",
            "À un barrage près de {place}, {who} ont retenu {subject} pendant une heure, "
            "photographié ses papiers et conseillé de « faire attention ».",
            "road",
        ),
    ),
    "death_threat": (
        Variant(
            D,
            "Menace de mort par SMS",
            "{Subject} a reçu un SMS d'un numéro inconnu : « arrête de te mêler de ce qui ne te "
            "regarde pas, sinon tu vas mourir ».",
        ),
        Variant(
            D,
            "Menace par téléphone",
            "Une voix d'homme a appelé {subject} {time} pour dire que ses jours étaient comptés "
            "si les dénonciations continuaient.",
        ),
        Variant(
            P,
            "Tract de menace de mort",
            "Un tract signé d'un groupe armé est apparu à {place} ; il désigne {subject} et "
            "trois autres personnes de {group} comme « cibles ».",
            "public",
        ),
    ),
    "other_threat": (
        Variant(
            P,
            "Avertissement à un proche",
            "{Who} ont abordé un proche de {subject} à {place} et lui ont dit de convaincre "
            "sa famille d'abandonner ce travail « pour le bien de tous ».",
            "home",
        ),
        Variant(
            D,
            "Menace sur les réseaux sociaux",
            "Un compte anonyme a publié une photo de {place} avec le message « nous savons où "
            "vous vous réunissez, ne dites pas qu'on ne vous a pas prévenus ».",
            "office",
        ),
    ),
    "stigmatisation": (
        Variant(
            D,
            "Campagne de dénigrement en ligne",
            "Plusieurs comptes ont publié à la même heure des messages accusant {group} de "
            "toucher de l'argent de l'étranger et de freiner le développement de la région.",
        ),
        Variant(
            P,
            "Propos stigmatisants à la radio",
            "Dans une interview à la radio locale, un responsable a traité {subject} « d'ennemi "
            "de la paix » et demandé une enquête sur les finances de {group}.",
        ),
        Variant(
            P,
            "Affiches diffamatoires dans le quartier",
            "Des affiches sont apparues près de {place} ; elles accusent {subject} de mentir à "
            "la population pour toucher de l'argent.",
            "public",
        ),
    ),
    "online_harassment": (
        Variant(
            D,
            "Harcèlement sur les réseaux sociaux",
            "Pendant plusieurs jours, {subject} a reçu des dizaines d'insultes et de messages "
            "haineux sous ses publications, presque tous de comptes créés le même mois.",
        ),
        Variant(
            D,
            "Données personnelles publiées en ligne",
            "Un compte anonyme a publié des données personnelles de {subject}, le quartier du "
            "domicile et le nom de son fils, avec des insultes et la phrase « pour que tout le "
            "monde sache ».",
        ),
    ),
    "digital_attack": (
        Variant(
            D,
            "Tentative d'accès à la messagerie",
            "{Subject} a reçu des alertes de plusieurs tentatives de connexion à sa messagerie "
            "{time}, depuis l'étranger ; l'auteur connaissait un ancien mot de passe.",
        ),
        Variant(
            D,
            "Piratage de la page de l'association",
            "La page de {group} sur les réseaux sociaux a été piratée ; de faux messages y ont "
            "été publiés pendant deux jours avant sa récupération.",
        ),
        Variant(
            D,
            "Courriel piégé",
            "{Group} a reçu un courriel imitant une convocation du parquet, avec une pièce "
            "jointe ; un technicien de confiance a confirmé qu'il s'agissait d'un logiciel "
            "espion.",
        ),
    ),
    "judicial_harassment": (
        Variant(
            P,
            "Plainte pour diffamation",
            "Un homme d'affaires local a porté plainte pour diffamation contre {subject} après "
            "des déclarations à la presse, et réclame des dommages impossibles à payer.",
        ),
        Variant(
            P,
            "Convocation au parquet",
            "{Subject} a reçu une convocation du parquet dans une enquête pour « incitation à "
            "la révolte » ouverte après la manifestation à {place}.",
            "public",
        ),
        Variant(
            P,
            "Poursuites pour occupation illégale",
            "Une plainte pour occupation illégale de terres vise {subject} et deux autres "
            "personnes de {group} ; le texte reprend presque mot pour mot un communiqué de "
            "leurs opposants.",
            only=("land",),
        ),
    ),
    "arbitrary_detention": (
        Variant(
            P,
            "Arrestation pendant une manifestation",
            "La police a arrêté {subject} et quatre autres personnes pendant la manifestation à "
            "{place} ; le groupe a été relâché le lendemain sans charge ni explication.",
            "public",
        ),
        Variant(
            P,
            "Détention à un poste de contrôle",
            "{Who} ont retenu {subject} six heures à un poste de contrôle près de {place} et "
            "confisqué le téléphone, sans mandat ni explication.",
            "road",
        ),
    ),
    "physical_attack": (
        Variant(
            P,
            "Agression sur la route",
            "{Who} ont barré la route à {subject} {time} près de {place} et ont donné des coups "
            "de bâton en criant d'arrêter de « monter la population ».",
            "road",
        ),
        Variant(
            P,
            "Violences pendant une réunion",
            "Un groupe a fait irruption dans la réunion de {group} à {place}, lancé des pierres "
            "et frappé deux personnes ; l'une a dû être soignée au centre de santé.",
            "office",
        ),
    ),
    "raid": (
        Variant(
            P,
            "Perquisition du bureau",
            "{Who} sont entrés {time} dans {place}, ont fouillé les archives et emporté deux "
            "ordinateurs et des disques durs. Aucun mandat n'a été présenté.",
            "office",
        ),
        Variant(
            P,
            "Cambriolage ciblé du siège",
            "La porte de {place} a été forcée : seuls les ordinateurs portables et les clés USB "
            "ont disparu ; l'argent de la caisse est resté sur place.",
            "office",
        ),
    ),
    "property_damage": (
        Variant(
            P,
            "Champs incendiés",
            "Une partie des champs de {group} près de {place} a été incendiée {time} ; des "
            "voisins ont vu {who} quitter les lieux.",
            "road",
            only=("land",),
        ),
        Variant(
            P,
            "Véhicule de l'association saccagé",
            "Le véhicule de {group} a été retrouvé devant {place} avec les pneus crevés et les "
            "vitres brisées.",
            "office",
        ),
    ),
    "attack_on_family": (
        Variant(
            P,
            "Un enfant agressé à la sortie de l'école",
            "Le fils de {subject} a été frappé à la sortie de l'école par {who}, qui lui ont dit "
            "de « passer un message » à sa famille.",
            "home",
        ),
        Variant(
            P,
            "Irruption chez un proche",
            "{Who} sont entrés chez la mère de {subject} {time}, ont cassé des meubles et "
            "demandé où étaient gardés les documents de {group}.",
            "home",
        ),
    ),
    "economic_pressure": (
        Variant(
            P,
            "Licenciement après une prise de parole",
            "L'employeur a licencié {subject} une semaine après sa prise de parole en "
            "assemblée ; le motif officiel est une « restructuration ».",
        ),
        Variant(
            P,
            "Boycott des récoltes",
            "Les acheteurs de la zone refusent d'acheter les récoltes des familles de {group} ; "
            "l'un d'eux a parlé « d'ordres venus d'en haut ».",
            only=("land",),
        ),
    ),
    "administrative_restriction": (
        Variant(
            P,
            "Refus d'enregistrement de l'association",
            "L'administration a refusé pour la troisième fois de renouveler l'agrément de "
            "{group}, en exigeant des pièces qu'elle ne demande à aucune autre association.",
        ),
        Variant(
            P,
            "Comptes bancaires gelés",
            "La banque a gelé les comptes de {group} sans explication ; les fonds d'un projet "
            "sont restés bloqués six semaines.",
        ),
    ),
    "suspicious_event": (
        Variant(
            P,
            "Drone au-dessus de la réunion",
            "Un drone a survolé {place} {time} pendant la réunion de {group} ; personne ne sait "
            "qui le pilotait.",
            "office",
        ),
        Variant(
            P,
            "De faux agents du recensement",
            "Deux personnes se disant agents du recensement ont demandé les noms des membres de "
            "{group} ; le bureau du recensement dit n'avoir envoyé personne.",
            "home",
        ),
        Variant(
            P,
            "Voiture inconnue stationnée pendant des heures",
            "Une voiture aux vitres teintées est restée stationnée plusieurs heures près de "
            "{place} ; personne n'en est descendu.",
            "home",
        ),
    ),
    "eviction": (
        Variant(
            P,
            "Tentative d'expulsion au bulldozer",
            "{Who} sont arrivés {time} avec un bulldozer à {place} et ont détruit deux maisons ; "
            "ils ont parlé d'une décision d'expulsion qu'ils n'ont jamais montrée.",
            "road",
        ),
    ),
    "attempted_killing": (
        Variant(
            P,
            "Tirs contre la maison",
            "Plusieurs coups de feu ont été tirés contre la maison de {subject} {time} ; "
            "personne n'a été blessé. Des douilles sont restées devant l'entrée.",
            "home",
        ),
    ),
}

TEXTS = Texts(
    variants=VARIANTS,
    who=(
        "deux hommes à moto",
        "deux hommes en civil",
        "trois hommes cagoulés",
        "des hommes dans une jeep sans plaque",
        "deux inconnus",
        "plusieurs hommes armés",
    ),
    times=(
        ("avant l'aube", 1, 5),
        ("tôt le matin", 6, 8),
        ("en milieu de matinée", 9, 11),
        ("vers midi", 12, 13),
        ("dans l'après-midi", 14, 17),
        ("à la tombée de la nuit", 18, 19),
        ("dans la nuit", 20, 23),
    ),
    consequences={
        P: (
            "{Subject} ne se déplace plus sans escorte depuis deux semaines.",
            "Les visites dans les villages sont suspendues jusqu'à nouvel ordre.",
            "L'assemblée prévue a été reportée d'un mois.",
            "Peur dans la famille ; les enfants ne sont pas allés à l'école plusieurs jours.",
            "Frais médicaux et une semaine sans pouvoir travailler.",
            "Plusieurs personnes ne viennent plus aux réunions de {group}.",
        ),
        D: (
            "Il a fallu changer de numéro de téléphone.",
            "Peur constante : plus de réponse aux numéros inconnus.",
            "{Subject} a fermé ses comptes sur les réseaux sociaux pour un temps.",
            "Méfiance au sein de {group} : qui a fait fuiter l'information ?",
        ),
    },
    reactions={
        P: (
            "Le réseau d'alerte a été activé et la cellule de protection informée.",
            "Changement d'itinéraires et d'horaires pendant deux semaines.",
            "L'incident a été documenté avec des photos et des témoignages.",
            "Des membres de {group} accompagnent désormais les déplacements.",
            "La paroisse et des observateurs internationaux ont été informés.",
        ),
        D: (
            "Les mots de passe ont été changés et la validation en deux étapes activée.",
            "Des captures d'écran ont été gardées et le compte signalé à la plateforme.",
            "Un technicien de confiance a vérifié le téléphone.",
        ),
    },
    analyses=(
        "Coïncide avec la date de l'audience : cela semble viser à démobiliser {group}.",
        "Schéma déjà vu : les incidents augmentent avant chaque assemblée.",
        "Lien avec le travail incertain ; continuer à observer.",
        "Le niveau de détail laisse penser à une source proche du groupe.",
        "Plutôt un avertissement qu'une intention d'agir ; voir si cela se répète.",
    ),
    authority={
        "no_response": ("Plainte déposée au parquet ; aucune réponse.",),
        "investigation": ("Le parquet a ouvert une enquête et entendu deux témoins.",),
        "dismissed": ("La plainte a été classée sans suite au bout d'un mois.",),
        "protection": ("Mesures de protection accordées : patrouilles deux fois par semaine.",),
        "hostile": (
            "Au commissariat, on a refusé la plainte et mis en cause le travail de {group}.",
        ),
    },
    sources=(
        "Une voisine qui a tout vu depuis sa fenêtre.",
        "Récit de {subject} par téléphone le jour même.",
        "Un membre de {group} présent sur les lieux.",
        "Un journaliste local qui a couvert les faits.",
    ),
    plans=(
        PlanTemplate(
            "Agression physique pendant les déplacements",
            4,
            4,
            5,
            (
                ("exposure", V, 4, "Déplacements fréquents sur des routes sans réseau."),
                ("field_work", V, 4, "Visites dans les villages sans prévenir."),
                ("community", C, 4, "La communauté accompagne les déplacements."),
                ("networks", C, 2, ""),
            ),
            (
                "Que les agressions sur les routes ne se répètent pas.",
                "Déplacements seuls et sans communication.",
                "Accompagnement communautaire et réseau d'alerte.",
            ),
            (
                ("Accompagner tous les déplacements pendant trois mois.", "protection", "{Group}"),
                (
                    "Demander des mesures de protection aux autorités.",
                    "deterrence",
                    "Cellule de protection",
                ),
                ("Prévenir par téléphone au départ et à l'arrivée.", "protection", "{Subject}"),
            ),
            ("field_trips",),
            ("physical_attack",),
        ),
        PlanTemplate(
            "Criminalisation des membres",
            3,
            4,
            4,
            (
                ("legal", V, 4, "Pas d'avocat attitré."),
                ("media_image", V, 3, "Leur version passe peu dans la presse."),
                ("networks", C, 3, "Contacts avec un barreau solidaire."),
            ),
            (
                "Les poursuites et la stigmatisation.",
                "Pas de défense juridique ni de voix publique.",
                "Réseaux d'avocats et organisations alliées.",
            ),
            (
                (
                    "Trouver un avocat pour les personnes poursuivies.",
                    "protection",
                    "Cellule de protection",
                ),
                (
                    "Lettre d'organisations alliées au parquet.",
                    "deterrence",
                    "Cellule de protection",
                ),
                ("Communiqué public expliquant le travail de {group}.", "acceptance", "{Group}"),
            ),
            ("public_statements",),
            ("arrest_detention",),
        ),
        PlanTemplate(
            "Vol d'informations sensibles",
            3,
            3,
            4,
            (
                ("information_security", V, 4, "Dossiers non chiffrés."),
                ("office_home", V, 3, "Bureau sans alarme."),
                ("organisation", C, 3, "L'équipe a suivi une formation en sécurité numérique."),
            ),
            (
                "Vols et accès aux informations des personnes accompagnées.",
                "Ordinateurs non chiffrés et sans sauvegarde.",
                "Une équipe prête à changer ses habitudes.",
            ),
            (
                (
                    "Chiffrer les disques et garder des sauvegardes hors du bureau.",
                    "protection",
                    "{Group}",
                ),
                ("Changer les serrures et installer une alarme.", "protection", "{Group}"),
                ("Décider qui garde les dossiers.", "protection", "Cellule de protection"),
            ),
            ("information", "office_home"),
            ("raid", "digital_compromise"),
        ),
    ),
    contact="Cellule de protection (fictive) : +243 000 000 000",
    decider="L'assemblée, avec la cellule de protection.",
    statement="Déclaration (fictive) sur « {title} », {day}.\n\n{narrative}\n",
    screenshot=("Numero inconnu", "Arrete de te meler de ce qui", "ne te regarde pas."),
)
