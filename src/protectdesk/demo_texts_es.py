"""Spanish templates of the demo's generated incidents and plans (fictional; see demo_texts)."""

from __future__ import annotations

from protectdesk.demo_texts import C, PlanTemplate, Texts, V, Variant

P, D = "physical", "digital"

VARIANTS = {
    "surveillance": (
        Variant(
            P,
            "Vigilancia frente a la oficina",
            "{Who} permanecieron {time} frente a {place} tomando fotos de quienes entraban y "
            "salían. Se fueron cuando llegaron más integrantes de {group}.",
            "office",
        ),
        Variant(
            P,
            "Preguntaron por {subject} en el barrio",
            "{Who} preguntaron a los vecinos cerca de {place} a qué hora sale {subject}, con "
            "quién vive y qué vehículo usa. Dijeron que hacían una encuesta.",
            "home",
        ),
        Variant(
            D,
            "Sospecha de teléfono intervenido",
            "En una reunión, un funcionario repitió frases de una llamada privada de {subject} "
            "del día anterior. Desde entonces el teléfono se calienta y la batería dura poco.",
        ),
    ),
    "stalking": (
        Variant(
            P,
            "Seguimiento en moto hasta la casa",
            "{Who} siguieron a {subject} {time} desde {place} hasta su casa, siempre a la misma "
            "distancia. Al día siguiente volvieron a pasar dos veces por la cuadra.",
            "road",
        ),
        Variant(
            P,
            "Un vehículo siguió el taxi",
            "Un vehículo gris siguió el taxi en que viajaba {subject} desde {place}; cambiaba de "
            "carril cada vez que el taxi lo hacía y se detuvo a media cuadra del destino.",
            "public",
        ),
    ),
    "intimidation": (
        Variant(
            D,
            "Llamadas en silencio",
            "{Subject} recibió llamadas de un número oculto {time} durante una semana; nadie "
            "hablaba y colgaban al contestar.",
        ),
        Variant(
            P,
            "Nota intimidante bajo la puerta",
            "Alguien dejó bajo la puerta de {place} una nota escrita a mano: «sabemos lo que "
            "hacen y con quién se reúnen».",
            "office",
        ),
        Variant(
            P,
            "Intimidación en un retén",
            "En un retén cerca de {place}, {who} retuvieron a {subject} durante una hora, "
            "fotografiaron sus documentos y le dijeron que «se cuidara».",
            "road",
        ),
    ),
    "death_threat": (
        Variant(
            D,
            "Amenaza de muerte por mensaje de texto",
            "{Subject} recibió un mensaje de texto de un número desconocido: «deja de meterte "
            "donde no te llaman o te vas a morir».",
        ),
        Variant(
            D,
            "Amenaza por teléfono",
            "Una voz de hombre llamó a {subject} {time} y le dijo que tenía los días contados si "
            "seguía con las denuncias.",
        ),
        Variant(
            P,
            "Panfleto con amenaza de muerte",
            "Apareció en {place} un panfleto firmado por un grupo armado que declara «objetivo "
            "militar» a {subject} y a otras tres personas de {group}.",
            "public",
        ),
    ),
    "other_threat": (
        Variant(
            P,
            "Advertencia a un familiar",
            "{Who} se acercaron a un familiar de {subject} en {place} y le dijeron que "
            "convenciera a su familiar de dejar el trabajo «por el bien de todos».",
            "home",
        ),
        Variant(
            D,
            "Amenaza en redes sociales",
            "Una cuenta anónima publicó una foto de {place} con el mensaje «ya sabemos dónde se "
            "reúnen, después no digan que no avisamos».",
            "office",
        ),
    ),
    "stigmatisation": (
        Variant(
            D,
            "Campaña de desprestigio en redes",
            "Varias cuentas publicaron a la misma hora mensajes que acusan a {group} de recibir "
            "dinero del extranjero y de frenar el desarrollo de la región.",
        ),
        Variant(
            P,
            "Declaraciones estigmatizantes en la radio",
            "En una entrevista en la radio local, un funcionario llamó a {subject} «enemigo del "
            "progreso» y pidió investigar las finanzas de {group}.",
        ),
        Variant(
            P,
            "Carteles difamatorios en el pueblo",
            "Aparecieron carteles cerca de {place} que acusan a {subject} de mentir a la "
            "comunidad para cobrar ayudas.",
            "public",
        ),
    ),
    "online_harassment": (
        Variant(
            D,
            "Acoso en redes sociales",
            "Durante varios días {subject} recibió decenas de insultos y comentarios sexistas "
            "bajo sus publicaciones, casi todos de cuentas creadas ese mismo mes.",
        ),
        Variant(
            D,
            "Publicaron datos personales en internet",
            "Una cuenta anónima publicó datos personales de {subject}, el barrio donde vive y el "
            "nombre de su hijo, junto a insultos y la frase «para que lo sepan todos».",
        ),
    ),
    "digital_attack": (
        Variant(
            D,
            "Intento de acceso a la cuenta de correo",
            "{Subject} recibió avisos de varios intentos de acceso a su correo {time}, desde otro "
            "país; quien lo intentó conocía una contraseña antigua.",
        ),
        Variant(
            D,
            "Robo de la cuenta en redes de la organización",
            "La página de {group} en redes sociales fue tomada por terceros, que publicaron "
            "mensajes falsos durante dos días hasta que se pudo recuperar.",
        ),
        Variant(
            D,
            "Correo con archivo espía",
            "Llegó a {group} un correo que imitaba una citación de la fiscalía, con un archivo "
            "adjunto; un técnico de confianza confirmó que era un programa espía.",
        ),
    ),
    "judicial_harassment": (
        Variant(
            P,
            "Denuncia penal por usurpación",
            "Se presentó una denuncia penal contra {subject} y otras dos personas de {group} por "
            "usurpación de tierras; el texto repite casi palabra por palabra un comunicado de "
            "sus opositores.",
            only=("land",),
        ),
        Variant(
            P,
            "Citación a declarar en la fiscalía",
            "{Subject} recibió una citación para declarar en una investigación por «instigación "
            "a delinquir» abierta tras la protesta en {place}.",
            "public",
        ),
        Variant(
            P,
            "Demanda por difamación",
            "Un empresario local presentó una demanda por difamación contra {subject} por sus "
            "declaraciones a la prensa, y pide una indemnización imposible de pagar.",
        ),
    ),
    "arbitrary_detention": (
        Variant(
            P,
            "Detención durante una protesta",
            "La policía detuvo a {subject} y a otras cuatro personas durante la protesta en "
            "{place}; liberó al grupo al día siguiente, sin cargos ni explicación.",
            "public",
        ),
        Variant(
            P,
            "Retención en un puesto de control",
            "{Who} retuvieron a {subject} durante seis horas en un puesto de control cerca de "
            "{place} y le quitaron el teléfono, sin orden ni explicación.",
            "road",
        ),
    ),
    "physical_attack": (
        Variant(
            P,
            "Agresión en el camino",
            "{Who} interceptaron a {subject} {time} cerca de {place} y le golpearon; le gritaron "
            "que dejara de organizar a la gente.",
            "road",
        ),
        Variant(
            P,
            "Golpes durante una reunión",
            "Un grupo irrumpió en la reunión de {group} en {place}, lanzó piedras y golpeó a dos "
            "personas; una tuvo que ser atendida en el centro de salud.",
            "office",
        ),
    ),
    "raid": (
        Variant(
            P,
            "Allanamiento de la oficina",
            "{Who} entraron {time} en {place}, revisaron los archivos y se llevaron dos "
            "computadoras y discos duros. No mostraron ninguna orden judicial.",
            "office",
        ),
        Variant(
            P,
            "Robo selectivo en la sede",
            "Forzaron la puerta de {place}: solo se llevaron las computadoras portátiles y las "
            "memorias; el dinero de la caja quedó en su lugar.",
            "office",
        ),
    ),
    "property_damage": (
        Variant(
            P,
            "Quema de cultivos",
            "Quemaron parte de los cultivos de {group} cerca de {place} {time}; los vecinos "
            "vieron a {who} alejarse del lugar.",
            "road",
            only=("land",),
        ),
        Variant(
            P,
            "Daños al vehículo de la organización",
            "El vehículo de {group} apareció con las llantas pinchadas y los vidrios rotos "
            "frente a {place}.",
            "office",
        ),
    ),
    "attack_on_family": (
        Variant(
            P,
            "Agresión a un familiar",
            "El hijo de {subject} fue golpeado a la salida de la escuela por {who}, que le "
            "pidieron «darle un mensaje» a su familia.",
            "home",
        ),
        Variant(
            P,
            "Irrumpieron en la casa de un familiar",
            "{Who} entraron en la casa de la madre de {subject} {time}, rompieron muebles y "
            "preguntaron dónde se guardan los documentos de {group}.",
            "home",
        ),
    ),
    "economic_pressure": (
        Variant(
            P,
            "Despido tras hablar en la asamblea",
            "Despidieron a {subject} de su empleo una semana después de hablar en la asamblea; "
            "el motivo oficial fue una «reestructuración».",
        ),
        Variant(
            P,
            "Bloqueo de la venta de la cosecha",
            "Los compradores de la zona se negaron a comprar la cosecha de las familias de "
            "{group}; uno de ellos dijo que eran «órdenes de arriba».",
            only=("land",),
        ),
    ),
    "administrative_restriction": (
        Variant(
            P,
            "Rechazan el registro de la organización",
            "La oficina de registro rechazó por tercera vez la renovación de la personería "
            "jurídica de {group}, con requisitos que no pide a otras organizaciones.",
        ),
        Variant(
            P,
            "Cuentas bancarias congeladas",
            "El banco congeló las cuentas de {group} sin explicación; los fondos de un proyecto "
            "quedaron bloqueados durante seis semanas.",
        ),
    ),
    "suspicious_event": (
        Variant(
            P,
            "Dron sobre la reunión",
            "Un dron sobrevoló {place} {time} durante la reunión de {group}; nadie supo quién lo "
            "manejaba.",
            "office",
        ),
        Variant(
            P,
            "Supuestos encuestadores piden nombres",
            "Dos personas que dijeron ser del censo pidieron los nombres de quienes integran "
            "{group}; la oficina del censo dice no tener personal en la zona.",
            "home",
        ),
        Variant(
            P,
            "Carro desconocido estacionado varias horas",
            "Un carro con vidrios polarizados estuvo estacionado varias horas cerca de {place}; "
            "nadie bajó de él.",
            "home",
        ),
    ),
    "eviction": (
        Variant(
            P,
            "Intento de desalojo con maquinaria",
            "{Who} llegaron {time} con maquinaria a {place} y derribaron dos viviendas; dijeron "
            "tener una orden de desalojo que nunca mostraron.",
            "road",
        ),
    ),
    "attempted_killing": (
        Variant(
            P,
            "Disparos contra la vivienda",
            "Dispararon varias veces contra la casa de {subject} {time}; nadie resultó herido. "
            "En la entrada quedaron casquillos de bala.",
            "home",
        ),
    ),
}

TEXTS = Texts(
    variants=VARIANTS,
    who=(
        "dos hombres en moto",
        "dos hombres vestidos de civil",
        "tres hombres con el rostro cubierto",
        "unos hombres en una camioneta sin placas",
        "dos desconocidos",
        "varios hombres armados",
    ),
    times=(
        ("de madrugada", 1, 5),
        ("temprano por la mañana", 6, 8),
        ("a media mañana", 9, 11),
        ("al mediodía", 12, 13),
        ("por la tarde", 14, 17),
        ("al anochecer", 18, 19),
        ("de noche", 20, 23),
    ),
    consequences={
        P: (
            "{Subject} dejó de salir sin compañía durante dos semanas.",
            "Se suspendieron las visitas a las comunidades hasta nuevo aviso.",
            "La asamblea prevista se aplazó un mes.",
            "Miedo en la familia; los hijos no fueron a la escuela durante varios días.",
            "Gastos médicos y una semana sin poder trabajar.",
            "Varias personas dejaron de asistir a las reuniones de {group}.",
        ),
        D: (
            "Hubo que cambiar de número de teléfono.",
            "Miedo constante: ya no contesta números desconocidos.",
            "{Subject} cerró temporalmente sus redes sociales.",
            "Desconfianza dentro de {group} sobre quién filtró la información.",
        ),
    },
    reactions={
        P: (
            "Se activó la red de alerta y se informó a la mesa de protección.",
            "Cambio de rutas y horarios durante dos semanas.",
            "Se documentó el incidente con fotos y testimonios.",
            "Integrantes de {group} acompañan desde entonces los traslados.",
            "Se informó a la parroquia y a observadores internacionales.",
        ),
        D: (
            "Se cambiaron las contraseñas y se activó la verificación en dos pasos.",
            "Se guardaron capturas de pantalla y se denunció la cuenta a la plataforma.",
            "Un técnico de confianza revisó el teléfono.",
        ),
    },
    analyses=(
        "Coincide con la fecha de la audiencia: parece buscar desmovilizar a {group}.",
        "Patrón ya visto: los incidentes aumentan antes de cada asamblea.",
        "No está claro si está relacionado con su trabajo; seguir observando.",
        "El nivel de detalle sugiere información de alguien cercano al grupo.",
        "Parece una advertencia más que una intención de actuar; revisar si se repite.",
    ),
    authority={
        "no_response": ("Denuncia presentada en la fiscalía; no hubo respuesta.",),
        "investigation": (
            "La fiscalía abrió una investigación y tomó declaración a dos testigos.",
        ),
        "dismissed": ("La denuncia fue archivada al mes por «falta de pruebas».",),
        "protection": (
            "Se otorgaron medidas de protección: rondas policiales dos veces por semana.",
        ),
        "hostile": (
            "En la comisaría se negaron a recibir la denuncia y cuestionaron el trabajo de "
            "{group}.",
        ),
    },
    sources=(
        "Vecina que vio lo ocurrido desde su ventana.",
        "Relato de {subject} por teléfono el mismo día.",
        "Integrante de {group} presente en el lugar.",
        "Periodista local que cubrió el hecho.",
    ),
    plans=(
        PlanTemplate(
            "Agresión física durante los traslados",
            4,
            4,
            5,
            (
                ("exposure", V, 4, "Traslados frecuentes por caminos sin señal."),
                ("field_work", V, 4, "Visitas a las comunidades sin aviso previo."),
                ("community", C, 4, "La comunidad acompaña los traslados."),
                ("networks", C, 2, ""),
            ),
            (
                "Que no se repitan las agresiones en los caminos.",
                "Traslados sin compañía ni comunicación.",
                "Acompañamiento comunitario y red de alerta.",
            ),
            (
                (
                    "Acompañamiento en todos los traslados durante tres meses.",
                    "protection",
                    "{Group}",
                ),
                (
                    "Pedir medidas de protección a la defensoría.",
                    "deterrence",
                    "Mesa de protección",
                ),
                ("Avisar por radio al salir y al llegar.", "protection", "{Subject}"),
            ),
            ("field_trips",),
            ("physical_attack",),
        ),
        PlanTemplate(
            "Criminalización de sus integrantes",
            3,
            4,
            4,
            (
                ("legal", V, 4, "Sin defensa jurídica propia."),
                ("media_image", V, 3, "Su versión casi no llega a la prensa."),
                ("networks", C, 3, "Contactos con organizaciones de abogados."),
            ),
            (
                "Las denuncias penales y la estigmatización.",
                "Falta de defensa jurídica y de voz pública.",
                "Redes de abogados y organizaciones aliadas.",
            ),
            (
                (
                    "Buscar representación legal para las personas denunciadas.",
                    "protection",
                    "Mesa de protección",
                ),
                (
                    "Carta de organizaciones aliadas a la fiscalía.",
                    "deterrence",
                    "Mesa de protección",
                ),
                ("Comunicado público que explique el trabajo de {group}.", "acceptance", "{Group}"),
            ),
            ("public_statements",),
            ("arrest_detention",),
        ),
        PlanTemplate(
            "Robo de información sensible",
            3,
            3,
            4,
            (
                ("information_security", V, 4, "Archivos de casos sin cifrar."),
                ("office_home", V, 3, "Oficina sin alarma."),
                ("organisation", C, 3, "El equipo ya hizo un taller de seguridad digital."),
            ),
            (
                "Robos y accesos a la información de las personas acompañadas.",
                "Computadoras sin cifrar y sin copias de seguridad.",
                "Un equipo dispuesto a cambiar sus hábitos.",
            ),
            (
                (
                    "Cifrar los discos y guardar copias de seguridad fuera de la oficina.",
                    "protection",
                    "{Group}",
                ),
                ("Instalar cerraduras nuevas y una alarma.", "protection", "{Group}"),
                ("Acordar quién guarda los archivos de casos.", "protection", "Mesa de protección"),
            ),
            ("information", "office_home"),
            ("raid", "digital_compromise"),
        ),
    ),
    contact="Mesa de protección (ficticia): +502 0000 0000",
    decider="La asamblea, con la mesa de protección.",
    statement="Declaración (ficticia) sobre «{title}», {day}.\n\n{narrative}\n",
    screenshot=("Numero desconocido", "Deja de meterte donde no te llaman", "o te vas a morir."),
)
