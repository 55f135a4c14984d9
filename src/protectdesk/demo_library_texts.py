"""The demo library's texts: short guides written for the demo desk (not copies of published
manuals), each in English, Spanish, French and Portuguese. (title, summary, text)."""

from __future__ import annotations

Texts = dict[str, tuple[str, str, str]]

TEXTS: dict[str, Texts] = {
    "risk-in-three-questions": {
        "en": (
            "Risk in three questions",
            "A first way to think about risk with a group, before any form.",
            "What threatens us? Name the threats you have received and those others in your "
            "situation have received.\n\nWhere are we weak, and what makes us strong? Risk grows "
            "with vulnerabilities and shrinks with capacities: the people you can call, the "
            "habits that protect you, the allies who speak up.\n\nWhat can we change this "
            "month? Choose one vulnerability to reduce and one capacity to build.",
        ),
        "es": (
            "El riesgo en tres preguntas",
            "Una primera forma de pensar el riesgo en grupo, antes de cualquier formulario.",
            "¿Qué nos amenaza? Nombren las amenazas que han recibido y las que han recibido "
            "otras personas en su situación.\n\n¿Dónde somos débiles y qué nos hace fuertes? El "
            "riesgo crece con las vulnerabilidades y disminuye con las capacidades: las personas "
            "a las que pueden llamar, los hábitos que las protegen, los aliados que alzan la "
            "voz.\n\n¿Qué podemos cambiar este mes? Elijan una vulnerabilidad que reducir y una "
            "capacidad que construir.",
        ),
        "fr": (
            "Le risque en trois questions",
            "Une première manière de penser le risque en groupe, avant tout formulaire.",
            "Qu’est-ce qui nous menace ? Nommez les menaces reçues, et celles qu’ont reçues "
            "d’autres personnes dans votre situation.\n\nOù sommes-nous vulnérables, et qu’est-ce "
            "qui nous rend forts ? Le risque augmente avec les vulnérabilités et diminue avec les "
            "capacités : les personnes à appeler, les habitudes qui protègent, les alliés qui "
            "prennent la parole.\n\nQue pouvons-nous changer ce mois-ci ? Choisissez une "
            "vulnérabilité à réduire et une capacité à construire.",
        ),
        "pt": (
            "O risco em três perguntas",
            "Uma primeira forma de pensar o risco em grupo, antes de qualquer formulário.",
            "O que nos ameaça? Nomeiem as ameaças que receberam e as que outras pessoas na mesma "
            "situação receberam.\n\nOnde somos frágeis e o que nos fortalece? O risco cresce com "
            "as vulnerabilidades e diminui com as capacidades: as pessoas a quem ligar, os "
            "hábitos que protegem, os aliados que se manifestam.\n\nO que podemos mudar este "
            "mês? Escolham uma vulnerabilidade para reduzir e uma capacidade para construir.",
        ),
    },
    "reading-a-threat": {
        "en": (
            "Reading a threat in five steps",
            "How to go from a frightening message to a considered judgement.",
            "Write down the facts that make up the threat, then look for a pattern across "
            "incidents.\n\nAsk what the threat seeks to achieve, who is behind it, and whether "
            "its author can carry it out. Conclude in writing, and review the conclusion when "
            "something new happens.",
        ),
        "es": (
            "Leer una amenaza en cinco pasos",
            "Cómo pasar de un mensaje que asusta a un juicio pensado.",
            "Anoten los hechos que forman la amenaza y busquen un patrón entre los incidentes."
            "\n\nPregúntense qué busca la amenaza, quién está detrás y si su autor puede "
            "cumplirla. Concluyan por escrito y revisen la conclusión cuando ocurra algo nuevo.",
        ),
        "fr": (
            "Lire une menace en cinq étapes",
            "Comment passer d’un message qui fait peur à un jugement réfléchi.",
            "Notez les faits qui composent la menace, puis cherchez un schéma entre les "
            "incidents.\n\nDemandez-vous ce que la menace cherche à obtenir, qui est derrière, et "
            "si son auteur peut la mettre à exécution. Concluez par écrit, et revoyez la "
            "conclusion quand survient du nouveau.",
        ),
        "pt": (
            "Ler uma ameaça em cinco passos",
            "Como passar de uma mensagem assustadora a um julgamento pensado.",
            "Anotem os fatos que compõem a ameaça e procurem um padrão entre os incidentes.\n\n"
            "Perguntem o que a ameaça pretende, quem está por trás e se o autor pode cumpri-la. "
            "Concluam por escrito e revejam a conclusão quando algo novo acontecer.",
        ),
    },
    "after-an-incident": {
        "en": (
            "After an incident: the first 24 hours",
            "A checklist for the team on duty.",
            "First, is everyone safe, and does anyone need medical or legal help now? Then "
            "write down what happened while memories are fresh: when, where, who, what was "
            "said.\n\nTell the people who need to know, and no one else. Decide together "
            "whether to change routines for the coming days.",
        ),
        "es": (
            "Después de un incidente: las primeras 24 horas",
            "Una lista de verificación para el equipo de turno.",
            "Primero: ¿todas las personas están a salvo? ¿Alguien necesita ayuda médica o "
            "jurídica ahora? Luego escriban lo ocurrido mientras el recuerdo está fresco: "
            "cuándo, dónde, quién, qué se dijo.\n\nAvisen a quienes necesitan saberlo, y a nadie "
            "más. Decidan juntos si cambiar las rutinas de los próximos días.",
        ),
        "fr": (
            "Après un incident : les premières 24 heures",
            "Une liste de contrôle pour l’équipe de permanence.",
            "D’abord : tout le monde est-il en sécurité, quelqu’un a-t-il besoin d’aide "
            "médicale ou juridique maintenant ? Ensuite, notez ce qui s’est passé tant que les "
            "souvenirs sont frais : quand, où, qui, ce qui a été dit.\n\nPrévenez les personnes "
            "qui doivent savoir, et personne d’autre. Décidez ensemble s’il faut changer les "
            "habitudes des prochains jours.",
        ),
        "pt": (
            "Depois de um incidente: as primeiras 24 horas",
            "Uma lista de verificação para a equipe de plantão.",
            "Primeiro: todas as pessoas estão em segurança? Alguém precisa de ajuda médica ou "
            "jurídica agora? Depois, anotem o que aconteceu enquanto a lembrança está fresca: "
            "quando, onde, quem, o que foi dito.\n\nAvisem quem precisa saber, e mais ninguém. "
            "Decidam juntos se é preciso mudar as rotinas dos próximos dias.",
        ),
    },
    "phones-at-checkpoints": {
        "en": (
            "Your phone at a checkpoint",
            "What to prepare before a journey through checkpoints.",
            "Before leaving, decide what the phone must not carry: contacts of people at risk, "
            "photos of evidence, open sessions of your organisation's accounts.\n\nLock the "
            "phone with a long code rather than a fingerprint, and know in advance what you "
            "will say if you are asked to unlock it.",
        ),
        "es": (
            "Su teléfono en un retén",
            "Qué preparar antes de un viaje con retenes.",
            "Antes de salir, decidan lo que el teléfono no debe llevar: contactos de personas en "
            "riesgo, fotos de pruebas, sesiones abiertas de las cuentas de la organización.\n\n"
            "Bloqueen el teléfono con un código largo y no con la huella, y sepan de antemano qué "
            "dirán si les piden desbloquearlo.",
        ),
        "fr": (
            "Votre téléphone à un barrage",
            "Ce qu’il faut préparer avant un trajet avec des barrages.",
            "Avant de partir, décidez ce que le téléphone ne doit pas contenir : les contacts de "
            "personnes en danger, les photos de preuves, les sessions ouvertes des comptes de "
            "l’organisation.\n\nVerrouillez le téléphone avec un long code plutôt qu’avec "
            "l’empreinte, et sachez d’avance ce que vous direz si l’on vous demande de le "
            "déverrouiller.",
        ),
        "pt": (
            "O seu telefone numa barreira",
            "O que preparar antes de uma viagem com barreiras.",
            "Antes de sair, decidam o que o telefone não deve levar: contatos de pessoas em "
            "risco, fotos de provas, sessões abertas das contas da organização.\n\nBloqueiem o "
            "telefone com um código longo em vez da impressão digital, e saibam de antemão o que "
            "dirão se pedirem para desbloqueá-lo.",
        ),
    },
    "rest-is-protection": {
        "en": (
            "Rest is part of protection",
            "Why tired defenders take more risks, and what teams can do about it.",
            "Exhaustion narrows attention: the car that passes twice goes unnoticed, the "
            "check-in is forgotten.\n\nAgree on rest as a team rule, not a private luxury: "
            "turns on duty, days without calls, someone who asks each week how people are.",
        ),
        "es": (
            "Descansar también es protegerse",
            "Por qué las personas defensoras cansadas corren más riesgos, y qué pueden hacer los "
            "equipos.",
            "El agotamiento estrecha la atención: el coche que pasa dos veces no se nota, el "
            "aviso de llegada se olvida.\n\nAcuerden el descanso como regla del equipo y no como "
            "un lujo privado: turnos, días sin llamadas, alguien que pregunte cada semana cómo "
            "está la gente.",
        ),
        "fr": (
            "Se reposer, c’est aussi se protéger",
            "Pourquoi les défenseur·es fatigué·es prennent plus de risques, et ce que les "
            "équipes peuvent y faire.",
            "L’épuisement rétrécit l’attention : la voiture qui passe deux fois n’est pas "
            "remarquée, l’appel de contrôle est oublié.\n\nFaites du repos une règle d’équipe, "
            "pas un luxe privé : des tours de permanence, des jours sans appels, quelqu’un qui "
            "demande chaque semaine comment vont les gens.",
        ),
        "pt": (
            "Descansar também é proteção",
            "Por que defensoras e defensores cansados correm mais riscos, e o que as equipes "
            "podem fazer.",
            "O esgotamento estreita a atenção: o carro que passa duas vezes não é notado, o "
            "aviso de chegada é esquecido.\n\nCombinem o descanso como regra da equipe e não "
            "como luxo particular: turnos, dias sem chamadas, alguém que pergunte toda semana "
            "como as pessoas estão.",
        ),
    },
    "a-plan-on-one-page": {
        "en": (
            "A protection plan on one page",
            "A template for plans that people actually read.",
            "One page: the threats you are preparing for, the measures you agreed with who does "
            "what and by when, and what to do if something happens.\n\nReview it on a date you "
            "set now, and at once after any serious incident.",
        ),
        "es": (
            "Un plan de protección en una página",
            "Una plantilla para planes que la gente sí lee.",
            "Una página: las amenazas para las que se preparan, las medidas acordadas con quién "
            "hace qué y para cuándo, y qué hacer si pasa algo.\n\nRevísenlo en una fecha que "
            "fijen ahora, y enseguida después de cualquier incidente grave.",
        ),
        "fr": (
            "Un plan de protection sur une page",
            "Un modèle pour des plans que les gens lisent vraiment.",
            "Une page : les menaces auxquelles vous vous préparez, les mesures convenues avec qui "
            "fait quoi et pour quand, et que faire s’il arrive quelque chose.\n\nRevoyez-le à une "
            "date fixée dès maintenant, et tout de suite après tout incident grave.",
        ),
        "pt": (
            "Um plano de proteção numa página",
            "Um modelo para planos que as pessoas de fato leem.",
            "Uma página: as ameaças para as quais se preparam, as medidas combinadas com quem "
            "faz o quê e até quando, e o que fazer se algo acontecer.\n\nRevejam-no numa data "
            "marcada agora, e logo depois de qualquer incidente grave.",
        ),
    },
    "turning-the-wheel": {
        "en": (
            "Turning the security wheel with your team",
            "How to run the eight-spoke self-assessment in an afternoon.",
            "Each person scores each spoke alone, from experience and training to the "
            "evaluation of security management.\n\nThen compare the wheels: the spokes where "
            "people disagree are often where the work should start.",
        ),
        "es": (
            "Girar la rueda de la seguridad con su equipo",
            "Cómo hacer la autoevaluación de ocho radios en una tarde.",
            "Cada persona puntúa cada radio a solas, desde la experiencia y la formación hasta la "
            "evaluación de la gestión de la seguridad.\n\nLuego comparen las ruedas: los radios "
            "en los que no coinciden suelen ser por donde empezar.",
        ),
        "fr": (
            "Faire tourner la roue de la sécurité en équipe",
            "Comment mener l’autoévaluation à huit rayons en un après-midi.",
            "Chaque personne note chaque rayon seule, de l’expérience et la formation jusqu’à "
            "l’évaluation de la gestion de la sécurité.\n\nComparez ensuite les roues : les "
            "rayons sur lesquels les avis divergent sont souvent ceux par où commencer.",
        ),
        "pt": (
            "Girar a roda da segurança com a equipe",
            "Como fazer a autoavaliação de oito raios numa tarde.",
            "Cada pessoa pontua cada raio sozinha, da experiência e formação até a avaliação da "
            "gestão da segurança.\n\nDepois comparem as rodas: os raios em que as opiniões "
            "divergem costumam ser por onde começar.",
        ),
    },
    "knowing-the-mechanisms": {
        "en": (
            "Knowing the protection mechanisms",
            "National programmes, regional commissions and UN procedures, side by side.",
            "A national protection programme can offer measures quickly, but it depends on the "
            "State that may also be the source of the threat.\n\nRegional commissions and UN "
            "special procedures cannot send bodyguards, but their requests to the State are "
            "public and hard to ignore. Many desks use both at once.",
        ),
        "es": (
            "Conocer los mecanismos de protección",
            "Programas nacionales, comisiones regionales y procedimientos de la ONU, lado a lado.",
            "Un programa nacional de protección puede ofrecer medidas rápido, pero depende del "
            "Estado, que también puede ser el origen de la amenaza.\n\nLas comisiones regionales "
            "y los procedimientos especiales de la ONU no envían escoltas, pero sus solicitudes "
            "al Estado son públicas y difíciles de ignorar. Muchas oficinas usan ambos a la vez.",
        ),
        "fr": (
            "Connaître les mécanismes de protection",
            "Programmes nationaux, commissions régionales et procédures de l’ONU, côte à côte.",
            "Un programme national de protection peut offrir des mesures vite, mais il dépend de "
            "l’État, qui peut aussi être à l’origine de la menace.\n\nLes commissions régionales "
            "et les procédures spéciales de l’ONU n’envoient pas de gardes du corps, mais leurs "
            "demandes à l’État sont publiques et difficiles à ignorer. Beaucoup de bureaux "
            "utilisent les deux à la fois.",
        ),
        "pt": (
            "Conhecer os mecanismos de proteção",
            "Programas nacionais, comissões regionais e procedimentos da ONU, lado a lado.",
            "Um programa nacional de proteção pode oferecer medidas rapidamente, mas depende do "
            "Estado, que também pode ser a origem da ameaça.\n\nAs comissões regionais e os "
            "procedimentos especiais da ONU não enviam escoltas, mas seus pedidos ao Estado são "
            "públicos e difíceis de ignorar. Muitos escritórios usam ambos ao mesmo tempo.",
        ),
    },
    "community-alert-networks": {
        "en": (
            "Community alert networks",
            "How a village can warn itself, and others, in minutes.",
            "Agree on who calls whom, with what words, and what each alert means: a stranger "
            "asking questions is not the same as armed men on the road.\n\nPractise once a "
            "season, and keep the list of numbers up to date after every change of phones.",
        ),
        "es": (
            "Redes comunitarias de alerta",
            "Cómo una comunidad puede avisarse a sí misma, y a otras, en minutos.",
            "Acuerden quién llama a quién, con qué palabras y qué significa cada alerta: un "
            "desconocido que hace preguntas no es lo mismo que hombres armados en el camino.\n\n"
            "Practiquen una vez por temporada y mantengan al día la lista de números después de "
            "cada cambio de teléfono.",
        ),
        "fr": (
            "Réseaux communautaires d’alerte",
            "Comment un village peut s’alerter lui-même, et alerter les autres, en quelques "
            "minutes.",
            "Convenez de qui appelle qui, avec quels mots, et de ce que signifie chaque alerte : "
            "un inconnu qui pose des questions n’est pas la même chose que des hommes armés sur "
            "la route.\n\nExercez-vous une fois par saison, et tenez la liste des numéros à jour "
            "après chaque changement de téléphone.",
        ),
        "pt": (
            "Redes comunitárias de alerta",
            "Como uma comunidade pode se avisar, e avisar outras, em minutos.",
            "Combinem quem liga para quem, com que palavras e o que significa cada alerta: um "
            "desconhecido fazendo perguntas não é o mesmo que homens armados na estrada.\n\n"
            "Pratiquem uma vez por estação e mantenham a lista de números atualizada depois de "
            "cada troca de telefone.",
        ),
    },
    "women-defenders-risks": {
        "en": (
            "Women defenders: the risks that are specific",
            "What a risk analysis misses when it ignores gender.",
            "Women defenders face threats aimed at their families, their bodies and their "
            "reputation, often from people close to them as well as from powerful actors.\n\n"
            "A plan that works for them asks who cares for the children during a relocation, "
            "and treats defamation as a security incident, not gossip.",
        ),
        "es": (
            "Defensoras: los riesgos específicos",
            "Lo que un análisis de riesgo pasa por alto cuando ignora el género.",
            "Las defensoras enfrentan amenazas dirigidas a sus familias, sus cuerpos y su "
            "reputación, a menudo de personas cercanas además de actores poderosos.\n\nUn plan que "
            "les sirva pregunta quién cuida a los hijos durante una reubicación, y trata la "
            "difamación como un incidente de seguridad, no como chisme.",
        ),
        "fr": (
            "Défenseures : les risques spécifiques",
            "Ce qu’une analyse de risque manque quand elle ignore le genre.",
            "Les défenseures font face à des menaces visant leur famille, leur corps et leur "
            "réputation, souvent de la part de proches autant que d’acteurs puissants.\n\nUn plan "
            "qui leur convient demande qui garde les enfants pendant une relocalisation, et traite "
            "la diffamation comme un incident de sécurité, pas comme un commérage.",
        ),
        "pt": (
            "Defensoras: os riscos específicos",
            "O que uma análise de risco deixa escapar quando ignora o gênero.",
            "As defensoras enfrentam ameaças dirigidas às suas famílias, aos seus corpos e à sua "
            "reputação, muitas vezes de pessoas próximas além de atores poderosos.\n\nUm plano "
            "que funcione para elas pergunta quem cuida dos filhos durante uma realocação, e "
            "trata a difamação como incidente de segurança, não como fofoca.",
        ),
    },
    "safe-meetings": {
        "en": (
            "Safer community meetings",
            "Choosing the place, the time and who knows about it.",
            "Vary the place and the time of meetings, and share them late and only with those "
            "invited.\n\nAgree beforehand who watches the road, how the meeting ends if someone "
            "unknown arrives, and how everyone gets home.",
        ),
        "es": (
            "Reuniones comunitarias más seguras",
            "Elegir el lugar, la hora y quién se entera.",
            "Varíen el lugar y la hora de las reuniones, y compártanlos tarde y solo con quienes "
            "están invitados.\n\nAcuerden antes quién vigila el camino, cómo termina la reunión "
            "si llega alguien desconocido y cómo vuelve cada persona a su casa.",
        ),
        "fr": (
            "Des réunions communautaires plus sûres",
            "Choisir le lieu, l’heure et qui est au courant.",
            "Variez le lieu et l’heure des réunions, et communiquez-les tard, seulement aux "
            "personnes invitées.\n\nConvenez à l’avance de qui surveille la route, de la façon "
            "de terminer la réunion si un inconnu arrive, et de comment chacun rentre chez soi.",
        ),
        "pt": (
            "Reuniões comunitárias mais seguras",
            "Escolher o lugar, a hora e quem fica sabendo.",
            "Variem o lugar e a hora das reuniões, e divulguem-nos tarde e só para quem foi "
            "convidado.\n\nCombinem antes quem vigia a estrada, como a reunião termina se chegar "
            "alguém desconhecido e como cada pessoa volta para casa.",
        ),
    },
    "documenting-for-later": {
        "en": (
            "Documenting today for a case tomorrow",
            "What makes an incident record useful to a lawyer or a mechanism years later.",
            "Record dates as precisely as you know them, and say when you are not sure. Keep "
            "the words of a threat exactly as they were said or written.\n\nNote who else saw "
            "it, and keep the originals of photos and messages: a screenshot is weaker than "
            "the file itself.",
        ),
        "es": (
            "Documentar hoy para un caso mañana",
            "Qué hace útil un registro de incidentes para un abogado o un mecanismo años después.",
            "Registren las fechas con la precisión que conozcan, y digan cuando no están seguros. "
            "Guarden las palabras de una amenaza tal como fueron dichas o escritas.\n\nAnoten "
            "quién más lo vio, y conserven los originales de fotos y mensajes: una captura de "
            "pantalla vale menos que el archivo mismo.",
        ),
        "fr": (
            "Documenter aujourd’hui pour une affaire demain",
            "Ce qui rend un relevé d’incident utile à un avocat ou à un mécanisme des années "
            "plus tard.",
            "Notez les dates avec la précision que vous connaissez, et dites quand vous n’êtes "
            "pas sûr. Gardez les mots d’une menace tels qu’ils ont été dits ou écrits.\n\nNotez "
            "qui d’autre l’a vu, et conservez les originaux des photos et des messages : une "
            "capture d’écran vaut moins que le fichier lui-même.",
        ),
        "pt": (
            "Documentar hoje para um processo amanhã",
            "O que torna um registro de incidente útil para um advogado ou um mecanismo anos "
            "depois.",
            "Registrem as datas com a precisão que souberem, e digam quando não têm certeza. "
            "Guardem as palavras de uma ameaça exatamente como foram ditas ou escritas.\n\n"
            "Anotem quem mais viu, e conservem os originais de fotos e mensagens: uma captura de "
            "tela vale menos que o próprio arquivo.",
        ),
    },
}
